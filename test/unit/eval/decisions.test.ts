import { describe, expect, it } from 'vitest';
import { decideWindows } from '../../../eval/decisions.js';
import { detectorConfig } from '../../../shared/detector/config.js';
import { initialDetectorState, stepDetector } from '../../../shared/detector/reducer.js';
import type { ScoredWindow } from '../../../shared/detector/types.js';

const reference = { probs: [0, 1], scores: [0, 10] };

function scored(scores: number[], hop = 1, window = 4): ScoredWindow[] {
  return scores.map((score, i) => ({
    sensorId: 0,
    startSample: i * hop,
    endSample: i * hop + window,
    startTimeMs: i,
    endTimeMs: i + 3,
    score,
    contributions: [],
  }));
}

describe('decideWindows', () => {
  it('reads the detector state after every window (hand-traced k=2 of n=3, clear below 0.5 for 2)', () => {
    const config = detectorConfig(
      { k: 2, n: 3, clearRatio: 0.5, minClearWindows: 2, cooldownWindows: 0 },
      { threshold: 1, reference },
    );
    const d = decideWindows(config, scored([0, 2, 0, 2, 2, 0.4, 0.4, 0.4, 2]));
    expect(Array.from(d.flagged)).toEqual([0, 1, 0, 1, 1, 0, 0, 0, 1]);
    expect(Array.from(d.raised)).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0]);
    expect(d.events.map((e) => e.kind)).toEqual(['raised', 'cleared']);
  });

  it('agrees with stepping the shared reducer by hand on a long random stream (hop 2, cooldown)', () => {
    const config = detectorConfig(
      { k: 3, n: 5, clearRatio: 0.8, minClearWindows: 3, cooldownWindows: 4 },
      { threshold: 1, reference },
    );
    let seed = 99;
    const scores = Array.from({ length: 400 }, (_, i) => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      const burst = Math.floor(i / 40) % 2 === 1 ? 0.9 : 0;
      return (seed / 2 ** 32) * 1.2 + burst;
    });
    const windows = scored(scores, 2);
    const d = decideWindows(config, windows);
    let state = initialDetectorState;
    const expected = windows.map((w) => {
      state = stepDetector(config, state, w).state;
      return state.phase === 'raised' ? 1 : 0;
    });
    expect(Array.from(d.raised)).toEqual(expected);
    expect(expected.some((x) => x === 1) && expected.some((x) => x === 0)).toBe(true);
  });
});
