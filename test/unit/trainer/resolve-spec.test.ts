import { describe, expect, it } from 'vitest';
import { defectOrders, parseBearing } from '../../../shared/bearing.js';
import { FeatureExtractor } from '../../../shared/features/extractor.js';
import type { Recording } from '../../../trainer/loaders/recording.js';
import { checkOptions } from '../../../trainer/options.js';
import { resolveSpec } from '../../../trainer/resolve-spec.js';

const recording = (sampleRate: number): Recording[] => [
  { samples: new Float32Array(3), channels: 1, sampleRate, names: ['x'], source: 'memory', notes: [] },
];

describe('envelope feature spec', () => {
  it('defaults the band-pass to [fs/8, 0.45 fs] and the envelope spectrum to 500 Hz in up to 16 bands', () => {
    const spec = resolveSpec(recording(3200), { data: [], out: 'x', features: ['envelope'] });
    expect(spec.envelope).toMatchObject({ bandLoHz: 400, bandHiHz: 1440, maxHz: 500, bands: 16 });
    expect(spec.envelope?.defects).toBeUndefined();
    // At 48 kHz a 1024 window has 46.9 Hz bins: only 10 bands of 50 Hz fit below 500 Hz.
    const cwru = resolveSpec(recording(48000), { data: [], out: 'x', features: ['envelope'] });
    expect(cwru.envelope?.bands).toBe(Math.floor(500 / (48000 / 1024)));
    expect(new FeatureExtractor(cwru).size).toBe(cwru.envelope?.bands);
  });

  it('adds the defect lines from --bearing and --rpm, which go together', () => {
    const spec = resolveSpec(recording(3200), {
      data: [],
      out: 'x',
      features: ['envelope'],
      bearing: '6205',
      rpm: 1780,
    });
    expect(spec.envelope?.defects?.shaftHz).toBeCloseTo(1780 / 60, 12);
    const ex = new FeatureExtractor(spec, undefined, ['x']);
    expect(ex.labels).toContain('x/envelope.bpfo1x');
    expect(defectOrders(parseBearing('6205')).bpfo * (1780 / 60)).toBeCloseTo(106.3, 1);
    expect(() => checkOptions({ data: [], out: 'x', bearing: '6205' })).toThrow(
      /--bearing and --rpm go together/,
    );
    expect(() => checkOptions({ data: [], out: 'x', envelopeBand: [500, 400] })).toThrow(/0 < lo < hi/);
  });
});
