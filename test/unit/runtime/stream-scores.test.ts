import { describe, expect, it } from 'vitest';
import { createScorer } from '../../../runtime/scoring/scorer.js';
import { streamScores } from '../../../runtime/stream-scores.js';
import { FeatureExtractor } from '../../../shared/features/extractor.js';
import type { FeatureSpec } from '../../../shared/features/spec.js';
import { windowCount } from '../../../shared/windowing.js';
import { fakeEngine } from './scoring/fake-engine.js';

const spec: FeatureSpec = { kinds: ['raw'], window: 4, hop: 2, channels: 2, sampleRate: 10 };
const rows = 301;
const samples = Float32Array.from({ length: rows * 2 }, (_, i) => Math.sin(i * 0.37) * (1 + (i % 7)));

/** What the device's scorer computes for a window when the model reconstructs zeros: mean of x². */
function expectedScore(start: number): number {
  let sum = 0;
  for (let c = 0; c < 2; c++) for (let i = 0; i < 4; i++) sum += samples[(start + i) * 2 + c] ** 2;
  return sum / 8;
}

describe('streamScores (the daemon pipeline over a recording)', () => {
  it('scores every window once, in stream order, with the device scorer', async () => {
    const engine = fakeEngine(8, () => 0);
    const extractor = new FeatureExtractor(spec);
    const windows = await streamScores(samples, spec, extractor, createScorer(engine, extractor.groups));
    expect(windows).toHaveLength(windowCount(rows, spec));
    windows.forEach((w, i) => {
      expect(w.startSample).toBe(i * 2);
      expect(w.endSample).toBe(i * 2 + 4);
      expect(w.score).toBeCloseTo(expectedScore(i * 2), 5);
    });
    expect(engine.runs).toBeGreaterThan(1); // micro-batched, as on the device
  });

  it('gives the same windows whatever the read size (chunks straddling windows)', async () => {
    const extractor = new FeatureExtractor(spec);
    const whole = await streamScores(
      samples,
      spec,
      extractor,
      createScorer(
        fakeEngine(8, (x) => x / 2),
        extractor.groups,
      ),
      { chunk: 10_000 },
    );
    const bits = await streamScores(
      samples,
      spec,
      extractor,
      createScorer(
        fakeEngine(8, (x) => x / 2),
        extractor.groups,
      ),
      { chunk: 3 },
    );
    expect(bits.map((w) => [w.endSample, w.score])).toEqual(whole.map((w) => [w.endSample, w.score]));
  });
});
