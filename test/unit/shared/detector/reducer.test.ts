import { describe, expect, it } from 'vitest';
import type { DetectorRule } from '../../../../shared/bundle/manifest.js';
import { detectorConfig } from '../../../../shared/detector/config.js';
import { detectAll } from '../../../../shared/detector/sensors.js';
import { scored } from './window-fixture.js';

const reference = { probs: [0, 0.5, 0.99, 1], scores: [0, 0.2, 1, 2], count: 999 };
const baseRule: DetectorRule = { k: 2, n: 3, clearRatio: 0.5, minClearWindows: 2, cooldownWindows: 2 };

function run(scores: number[], rule: Partial<DetectorRule> = {}) {
  const config = detectorConfig({ ...baseRule, ...rule }, { threshold: 1, reference });
  return detectAll(
    config,
    scores.map((s, i) => scored(i, s)),
  );
}

/** Events as `kind@index-of-the-deciding-window`. */
const marks = (scores: number[], rule: Partial<DetectorRule> = {}) =>
  run(scores, rule).map((e) => `${e.kind}@${(e.windowEnd.sample - 100) / 50}`);

describe('stepDetector (table)', () => {
  it.each([
    { name: 'one over window is not enough for 2-of-3', scores: [2, 0, 0, 2], want: [] },
    { name: '2 of the last 3 raises on the second', scores: [2, 0, 2], want: ['raised@2'] },
    { name: 'a score equal to the threshold is not over it', scores: [1, 1, 1, 1], want: [] },
    {
      name: 'the raise needs the triggering window itself to be over',
      scores: [2, 2, 0],
      want: ['raised@1'],
    },
    {
      name: 'hysteresis: between clear level and threshold stays raised',
      scores: [2, 2, 0.7, 0.7, 0.7, 0.7],
      want: ['raised@1'],
    },
    {
      name: 'the quiet run restarts when a window rises above the clear level',
      scores: [2, 2, 0.4, 0.6, 0.4, 0.4],
      want: ['raised@1', 'cleared@5'],
    },
    {
      name: 'no raise during the cooldown; the cooldown windows count afterwards',
      scores: [2, 2, 0, 0, 2, 2, 2],
      want: ['raised@1', 'cleared@3', 'raised@6'],
    },
  ])('$name', ({ scores, want }) => {
    expect(marks(scores)).toEqual(want);
  });

  it('k = n = 1 raises on the first over window and clears after minClearWindows', () => {
    expect(marks([0, 5, 0, 0, 5], { k: 1, n: 1, cooldownWindows: 0 })).toEqual([
      'raised@1',
      'cleared@3',
      'raised@4',
    ]);
  });

  it('a raise reports the peak of its evidence, from the earliest over window to the trigger', () => {
    const [raised] = run([0, 3, 0, 2]);
    expect(raised).toMatchObject({
      kind: 'raised',
      sensorId: 1,
      score: 3,
      threshold: 1,
      windowStart: { sample: 50, timeMs: 50 },
      windowEnd: { sample: 250, timeMs: 249 },
      contributions: [{ group: 'w1', share: 1 }],
    });
    expect(raised.pValue).toBeCloseTo(1 / 1000, 12);
  });

  it('a clear reports the episode peak and spans from the raise start to the clearing window', () => {
    const events = run([2, 1.5, 4, 0.1, 0.1]);
    expect(events.map((e) => e.kind)).toEqual(['raised', 'cleared']);
    expect(events[1]).toMatchObject({
      kind: 'cleared',
      score: 4,
      windowStart: { sample: 0, timeMs: 0 },
      windowEnd: { sample: 300, timeMs: 299 },
      contributions: [{ group: 'w2', share: 1 }],
    });
  });

  it('keeps a separate state per sensor', () => {
    const config = detectorConfig(baseRule, { threshold: 1, reference });
    // Interleaved: sensor 1 has 2-of-3 over, sensor 2 only ever one over in any 3.
    const windows = [scored(0, 2, 1), scored(0, 2, 2), scored(1, 2, 1), scored(1, 0, 2), scored(2, 0, 2)];
    const events = detectAll(config, windows);
    expect(events.map((e) => [e.kind, e.sensorId])).toEqual([['raised', 1]]);
  });
});

describe('detectorConfig', () => {
  it('refuses k > n, naming both fields', () => {
    expect(() => detectorConfig({ ...baseRule, k: 4, n: 3 }, { threshold: 1, reference })).toThrow(
      /detector\.k \(4\).*detector\.n \(3\)/,
    );
  });

  it('refuses reference quantiles that are not ascending', () => {
    const bad = { probs: [0, 0.9, 0.5], scores: [0, 1, 2] };
    expect(() => detectorConfig(baseRule, { threshold: 1, reference: bad })).toThrow(/ascending \(index 2/);
  });

  it('derives the clear level from clearRatio', () => {
    expect(detectorConfig({ ...baseRule, clearRatio: 0.25 }, { threshold: 2, reference }).clearLevel).toBe(
      0.5,
    );
  });

  describe('clearPeakRatio (peak-relative clear)', () => {
    // A severe episode (peak 1000) settles at 3: over the threshold (1), far below the peak.
    const settle = [2, 1000, 1000, 3, 3, 3, 3, 3, 3];

    it('off (absent or 0): a level over the threshold keeps the episode raised', () => {
      expect(marks(settle)).toEqual(['raised@1']);
      expect(marks(settle, { clearPeakRatio: 0 })).toEqual(['raised@1']);
    });

    it('clears once the score stays under ratio x peak, then k-of-n raises a new episode on the new level', () => {
      // 3 < 0.01 x 1000: quiet at 3 and 4, cleared at 4; the cooldown (2) holds 5 and 6; 7 raises.
      expect(marks(settle, { clearPeakRatio: 0.01 })).toEqual(['raised@1', 'cleared@4', 'raised@7']);
    });

    it('the new episode has its own peak: a level that stays put does not clear it', () => {
      const events = run([...settle, 3, 3, 3, 3], { clearPeakRatio: 0.01 });
      expect(events.map((e) => e.kind)).toEqual(['raised', 'cleared', 'raised']);
      expect(events[2].score).toBe(3);
    });

    it('a ratio too small to reach changes nothing (the threshold-relative level is the higher one)', () => {
      expect(marks(settle, { clearPeakRatio: 0.001 })).toEqual(marks(settle));
    });

    it('refuses a ratio outside [0, 1), naming the field', () => {
      for (const bad of [-0.1, 1, 2, Number.NaN]) {
        expect(() =>
          detectorConfig({ ...baseRule, clearPeakRatio: bad }, { threshold: 1, reference }),
        ).toThrow(/detector\.clearPeakRatio/);
      }
    });
  });
});

describe('alert p-values from the bundle reference', () => {
  it('use the stored GPD tail when there is one (no 1/(count+1) floor), the quantiles otherwise', () => {
    const tail = { kind: 'gpd' as const, u: 1, zeta: 0.01, sigma: 0.5, xi: 0, excesses: 10 };
    const scores = [0, 5, 5];
    const withTail = detectAll(
      detectorConfig(baseRule, { threshold: 1, reference: { ...reference, tail } }),
      scores.map((s, i) => scored(i, s)),
    );
    // Exponential tail: 0.01·e^(−(5 − 1)/0.5) = 0.01·e^(−8).
    expect(withTail[0].pValue).toBeCloseTo(0.01 * Math.exp(-8), 15);
    const without = detectAll(
      detectorConfig(baseRule, { threshold: 1, reference }),
      scores.map((s, i) => scored(i, s)),
    );
    expect(without[0].pValue).toBe(1 / 1000);
  });
});
