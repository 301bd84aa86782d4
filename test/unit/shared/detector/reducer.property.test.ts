import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DetectorRule } from '../../../../shared/bundle/manifest.js';
import { detectorConfig } from '../../../../shared/detector/config.js';
import { detectAll } from '../../../../shared/detector/sensors.js';
import { scored } from './window-fixture.js';

const reference = { probs: [0, 1], scores: [0, 1] };
const THRESHOLD = 1;

const ruleArb = fc
  .record({
    n: fc.integer({ min: 1, max: 8 }),
    kFrac: fc.double({ min: 0, max: 1, noNaN: true }),
    clearRatio: fc.double({ min: 0.1, max: 1, noNaN: true }),
    minClearWindows: fc.integer({ min: 1, max: 4 }),
    cooldownWindows: fc.integer({ min: 0, max: 5 }),
  })
  .map(
    ({ n, kFrac, ...rest }): DetectorRule => ({ n, k: 1 + Math.min(n - 1, Math.floor(kFrac * n)), ...rest }),
  );
// Scores around the interesting levels: under the clear level, between clear level and threshold, over.
const scoresArb = fc.array(fc.constantFrom(0, 0.05, 0.5, 0.95, 1, 1.5, 4), { maxLength: 120 });

/** Index of the window that decided each event. */
function decisions(rule: DetectorRule, scores: number[]) {
  const events = detectAll(
    detectorConfig(rule, { threshold: THRESHOLD, reference }),
    scores.map((s, i) => scored(i, s)),
  );
  return events.map((e) => ({ kind: e.kind, at: (e.windowEnd.sample - 100) / 50 }));
}

/** The rule restated over indexes, independently of the reducer's ring of recent windows. */
function oracle(rule: DetectorRule, scores: number[]) {
  const out: { kind: string; at: number }[] = [];
  let raisedAt = -1;
  let clearedAt = Number.NEGATIVE_INFINITY;
  const clearLevel = rule.clearRatio * THRESHOLD;
  scores.forEach((s, i) => {
    if (raisedAt < 0) {
      if (s <= THRESHOLD || i - clearedAt <= rule.cooldownWindows) return;
      const from = Math.max(i - rule.n + 1, clearedAt + 1, 0);
      const over = scores.slice(from, i + 1).filter((x) => x > THRESHOLD).length;
      if (over >= rule.k) {
        out.push({ kind: 'raised', at: i });
        raisedAt = i;
      }
    } else {
      const from = i - rule.minClearWindows + 1;
      if (from > raisedAt && scores.slice(from, i + 1).every((x) => x < clearLevel)) {
        out.push({ kind: 'cleared', at: i });
        raisedAt = -1;
        clearedAt = i;
      }
    }
  });
  return out;
}

describe('stepDetector (properties)', () => {
  it('agrees with the rule restated over window indexes', () => {
    fc.assert(
      fc.property(ruleArb, scoresArb, (rule, scores) => {
        expect(decisions(rule, scores)).toEqual(oracle(rule, scores));
      }),
      { numRuns: 500 },
    );
  });

  it('raised and cleared alternate strictly, starting with raised', () => {
    fc.assert(
      fc.property(ruleArb, scoresArb, (rule, scores) => {
        decisions(rule, scores).forEach((e, i) => {
          expect(e.kind).toBe(i % 2 === 0 ? 'raised' : 'cleared');
        });
      }),
    );
  });

  it('never raises within cooldownWindows windows of a clear, and only on an over-threshold window', () => {
    fc.assert(
      fc.property(ruleArb, scoresArb, (rule, scores) => {
        const ds = decisions(rule, scores);
        ds.forEach((e, i) => {
          if (e.kind !== 'raised') return;
          expect(scores[e.at]).toBeGreaterThan(THRESHOLD);
          if (i > 0) expect(e.at - ds[i - 1].at).toBeGreaterThan(rule.cooldownWindows);
        });
      }),
    );
  });
});
