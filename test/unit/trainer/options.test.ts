import { describe, expect, it } from 'vitest';
import type { ThrumError } from '../../../shared/errors.js';
import type { Recording } from '../../../trainer/loaders/recording.js';
import { checkOptions, DEFAULTS, withDefaults } from '../../../trainer/options.js';
import { resolveSpec } from '../../../trainer/resolve-spec.js';

const base = { data: ['x.csv'], out: '/tmp/x' };
const recording = (sampleRate: number, channels = 1): Recording => ({
  samples: new Float32Array(0),
  channels,
  sampleRate,
  names: Array.from({ length: channels }, (_, i) => `c${i}`),
  source: 'r',
  notes: [],
});

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect((e as ThrumError).code).toBe('BAD_USAGE');
    return (e as Error).message;
  }
  throw new Error('expected BAD_USAGE');
}

describe('checkOptions', () => {
  it('names the flag and the expected value', () => {
    expect(usageMessage(() => checkOptions({ ...base, window: 1.5 }))).toBe(
      '--window must be an integer >= 2, got 1.5',
    );
    expect(usageMessage(() => checkOptions({ ...base, targetFar: 0.7 }))).toMatch(
      /^--target-far must be a fraction/,
    );
    expect(usageMessage(() => checkOptions({ ...base, detector: { clearRatio: 0 } }))).toMatch(
      /^--clear-ratio/,
    );
    expect(usageMessage(() => checkOptions({ ...base, detector: { k: 6 } }))).toMatch(/--k 6 exceeds --n 5/);
  });

  it('accepts defaults and fills them in', () => {
    expect(() => checkOptions(base)).not.toThrow();
    const o = withDefaults({ ...base, epochs: 7, detector: { k: 2, n: undefined } });
    expect(o.epochs).toBe(7);
    expect(o.targetFar).toBe(DEFAULTS.targetFar);
    expect(o.detector).toEqual({ ...DEFAULTS.detector, k: 2 });
  });
});

describe('resolveSpec', () => {
  it('picks a 1024/512 spectrum up to Nyquist for kHz waveforms', () => {
    const spec = resolveSpec([recording(48000)], base);
    expect(spec).toMatchObject({
      kinds: ['spectrum'],
      window: 1024,
      hop: 512,
      channels: 1,
      sampleRate: 48000,
    });
    expect(spec.spectrum).toEqual({ bands: 32, maxHz: 24000, minHz: 0, scale: 'linear' });
  });

  it('picks window 16, hop 1, raw for slow sensors', () => {
    expect(resolveSpec([recording(1, 8)], base)).toEqual({
      kinds: ['raw'],
      window: 16,
      hop: 1,
      channels: 8,
      sampleRate: 1,
    });
  });

  it('honours explicit settings and rejects --max-hz above Nyquist', () => {
    const spec = resolveSpec([recording(1000)], {
      ...base,
      window: 64,
      features: ['spectrum', 'stats'],
      bandScale: 'log',
      minHz: 5,
    });
    expect(spec).toMatchObject({ window: 64, hop: 32, kinds: ['spectrum', 'stats'] });
    expect(spec.spectrum).toEqual({ bands: 16, maxHz: 500, minHz: 5, scale: 'log' });
    expect(usageMessage(() => resolveSpec([recording(1000)], { ...base, maxHz: 600 }))).toMatch(
      /above Nyquist/,
    );
  });
});
