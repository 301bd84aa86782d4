import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { detect } from '../../../../runtime/operators/detect.js';
import type { DetectorRule } from '../../../../shared/bundle/manifest.js';
import type { ScoredWindow } from '../../../../shared/detector/types.js';
import { ThrumError } from '../../../../shared/errors.js';

const rule: DetectorRule = { k: 2, n: 3, clearRatio: 0.5, minClearWindows: 2, cooldownWindows: 1 };
const calibration = { threshold: 1, reference: { probs: [0, 0.5, 1], scores: [0, 0.5, 2], count: 99 } };

let i = 0;
const w = (score: number, sensorId = 1): ScoredWindow => {
  const startSample = 10 * i++;
  return {
    sensorId,
    startSample,
    endSample: startSample + 10,
    startTimeMs: startSample,
    endTimeMs: startSample + 9,
    score,
    contributions: [],
  };
};

const testScheduler = () => new TestScheduler((a, b) => expect(a).toEqual(b));
const kindOf = map((e: { kind: string; sensorId: number }) => `${e.kind[0]}${e.sensorId}`);

describe('detect', () => {
  it('emits raised and cleared in the frame of the deciding window', () => {
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      // high = over the threshold, mid = between clear level and threshold, low = under the clear level.
      const values = { h: w(3), H: w(3), m: w(0.8), l: w(0.1), L: w(0.1) };
      const source = hot('-h-H-m-l-L-|', values);
      expectObservable(source.pipe(detect(rule, calibration), kindOf)).toBe('---x-----y-|', {
        x: 'r1',
        y: 'c1',
      });
      expectSubscriptions(source.subscriptions).toBe('^----------!');
    });
  });

  it('keeps one detector per sensor', () => {
    testScheduler().run(({ hot, expectObservable }) => {
      const values = { a: w(3, 1), b: w(3, 2), c: w(0, 1), d: w(3, 2) };
      const source = hot('abcd', values);
      expectObservable(source.pipe(detect(rule, calibration), kindOf)).toBe('---x', { x: 'r2' });
    });
  });

  it('unsubscribes from the scores when its consumer does (no leak)', () => {
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('-a-b-c-d-', { a: w(3), b: w(3), c: w(0), d: w(0) });
      expectObservable(source.pipe(detect(rule, calibration), kindOf), '^---!').toBe('---x', { x: 'r1' });
      expectSubscriptions(source.subscriptions).toBe('^---!');
    });
  });

  it('carries the threshold, the p-value and the evidence span', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      i = 0;
      const source = cold('ab', { a: w(1.5), b: w(2.5) });
      expectObservable(source.pipe(detect(rule, calibration))).toBe('-x', {
        x: {
          kind: 'raised',
          sensorId: 1,
          score: 2.5,
          threshold: 1,
          pValue: 1 / 100,
          windowStart: { sample: 0, timeMs: 0 },
          windowEnd: { sample: 20, timeMs: 19 },
          contributions: [],
        },
      });
    });
  });

  it('independent subscriptions do not share detector state', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold('ab', { a: w(3), b: w(3) });
      const detected = source.pipe(detect(rule, calibration), kindOf);
      expectObservable(detected).toBe('-x', { x: 'r1' });
      expectObservable(detected).toBe('-x', { x: 'r1' });
    });
  });

  it('refuses an impossible rule when the operator is built', () => {
    expect(() => detect({ ...rule, k: 5 }, calibration)).toThrow(ThrumError);
  });
});
