import { from, lastValueFrom, map, type Observable, of, throwError, timer, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import {
  type BatchScorer,
  emptyScoringCounters,
  scoreBatches,
} from '../../../../runtime/operators/score-batches.js';
import type { FeatureWindow } from '../../../../runtime/operators/windows.js';

/** Window whose one feature is `value`; the fake scorer scores a window by that value. */
const fw = (value: number): FeatureWindow => ({
  sensorId: 1,
  startSample: value,
  endSample: value + 1,
  startTimeMs: 0,
  endTimeMs: 0,
  features: Float32Array.of(value),
});

const values = 'abcdefghijklmnop';
const windowsOf = (letters: string) =>
  Object.fromEntries([...letters].map((ch) => [ch, fw(values.indexOf(ch))])) as Record<string, FeatureWindow>;

/** A scorer that answers after `latencyMs` (synchronously when 0) and records each call. */
function fakeScorer(ts: TestScheduler, latencyMs: number) {
  const calls: { at: number; batch: number[] }[] = [];
  const scorer: BatchScorer = {
    size: 1,
    score(features, n) {
      const batch = Array.from(features.subarray(0, n));
      calls.push({ at: ts.now(), batch });
      const result = { scores: batch, contributions: batch.map(() => [{ group: 'g', share: 1 }]) };
      return latencyMs === 0 ? of(result) : timer(latencyMs).pipe(map(() => result));
    },
  };
  return { scorer, calls };
}

const testScheduler = () => new TestScheduler((a, b) => expect(a).toEqual(b));
const scoreLetter = (o: Observable<{ score: number }>) => o.pipe(map((w) => values[w.score]));

describe('scoreBatches', () => {
  it('scores a batch as soon as maxBatch windows wait', () => {
    const ts = testScheduler();
    ts.run(({ hot, expectObservable }) => {
      const { scorer, calls } = fakeScorer(ts, 0);
      const input = hot('abc-----', windowsOf('abc'));
      const out = input.pipe(scoreBatches(scorer, { maxBatch: 3, maxDelayMs: 5 }));
      expectObservable(scoreLetter(out)).toBe('--(abc)-');
      ts.flush();
      expect(calls).toEqual([{ at: 2, batch: [0, 1, 2] }]);
    });
  });

  it('scores a partial batch when its oldest window has waited maxDelayMs', () => {
    const ts = testScheduler();
    ts.run(({ hot, expectObservable }) => {
      const { scorer, calls } = fakeScorer(ts, 0);
      const input = hot('ab------c-------', windowsOf('abc'));
      const out = input.pipe(scoreBatches(scorer, { maxBatch: 3, maxDelayMs: 5 }));
      expectObservable(scoreLetter(out)).toBe('-----(ab)----c');
      ts.flush();
      expect(calls.map((c) => c.at)).toEqual([5, 13]);
    });
  });

  it('runs one scorer call at a time and batches what arrived meanwhile', () => {
    const ts = testScheduler();
    ts.run(({ hot, expectObservable }) => {
      const { scorer, calls } = fakeScorer(ts, 4);
      const input = hot('abcdef-------------', windowsOf('abcdef'));
      const out = input.pipe(scoreBatches(scorer, { maxBatch: 2, maxDelayMs: 1 }));
      // Calls at 1 (a,b), 5 (c,d: both waited), 9 (e,f); each answers 4 ms later.
      expectObservable(scoreLetter(out)).toBe('-----(ab)(cd)(ef)---');
      ts.flush();
      expect(calls).toEqual([
        { at: 1, batch: [0, 1] },
        { at: 5, batch: [2, 3] },
        { at: 9, batch: [4, 5] },
      ]);
    });
  });

  it('when scoring falls behind, drops and counts the oldest waiting windows, never more than maxQueue wait', () => {
    const ts = testScheduler();
    const counters = emptyScoringCounters();
    ts.run(({ hot, expectObservable }) => {
      const { scorer } = fakeScorer(ts, 20);
      const input = hot('abcdefghij---------------------------------------|', windowsOf('abcdefghij'));
      const out = input.pipe(scoreBatches(scorer, { maxBatch: 1, maxDelayMs: 0, maxQueue: 3, counters }));
      // a is scored at once (answer at 20); b..j pass through 3 slots, so the 3 freshest (h, i, j) are
      // left and b..g are dropped. The output completes after the queue has drained.
      expectObservable(scoreLetter(out)).toBe('20ms a 19ms h 19ms i 19ms (j|)');
    });
    expect(counters).toMatchObject({ windows: 10, scored: 4, dropped: 6, maxQueued: 3 });
    expect(counters.windows).toBe(counters.scored + counters.dropped);
  });

  it('scores what is still waiting when the input completes, then completes', () => {
    const ts = testScheduler();
    ts.run(({ hot, expectObservable }) => {
      const { scorer } = fakeScorer(ts, 2);
      const input = hot('a-|', windowsOf('a'));
      const out = input.pipe(scoreBatches(scorer, { maxBatch: 8, maxDelayMs: 100 }));
      expectObservable(scoreLetter(out)).toBe('----(a|)');
    });
  });

  it('on unsubscribe, cancels the pending timer and the scorer call, and unsubscribes upstream', () => {
    const ts = testScheduler();
    ts.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const pendingCall = cold('------r', { r: { scores: [0], contributions: [[]] } });
      const scorer: BatchScorer = { size: 1, score: () => pendingCall };
      const input = hot('a-b-----', windowsOf('ab'));
      const out = input.pipe(scoreBatches(scorer, { maxBatch: 1, maxDelayMs: 0 }));
      expectObservable(out, '^---!').toBe('-----');
      expectSubscriptions(input.subscriptions).toBe('^---!');
      expectSubscriptions(pendingCall.subscriptions).toBe('^---!');
    });
    expect(ts.actions.filter((a) => !a.closed)).toEqual([]);
  });

  it('fails the stream with the scorer’s error', () => {
    const ts = testScheduler();
    ts.run(({ hot, expectObservable }) => {
      const scorer: BatchScorer = { size: 1, score: () => throwError(() => new Error('session gone')) };
      const input = hot('a---', windowsOf('a'));
      const out = input.pipe(scoreBatches(scorer, { maxBatch: 1, maxDelayMs: 0 }));
      expectObservable(out).toBe('#', undefined, new Error('session gone'));
    });
  });

  it('works with a promise-returning scorer and keeps input order', async () => {
    const scorer: BatchScorer = {
      size: 1,
      score: async (features, n) => ({
        scores: Array.from(features.subarray(0, n), (v) => v * 10),
        contributions: [],
      }),
    };
    const out = await lastValueFrom(
      from([1, 2, 3, 4, 5].map(fw)).pipe(
        scoreBatches(scorer, { maxBatch: 2, maxDelayMs: 1 }),
        map((w) => [w.startSample, w.score]),
        toArray(),
      ),
    );
    expect(out).toEqual([
      [1, 10],
      [2, 20],
      [3, 30],
      [4, 40],
      [5, 50],
    ]);
  });

  it('refuses a queue smaller than a batch', () => {
    const scorer: BatchScorer = { size: 1, score: () => of({ scores: [], contributions: [] }) };
    expect(() => scoreBatches(scorer, { maxBatch: 8, maxDelayMs: 1, maxQueue: 4 })).toThrow(
      /maxQueue >= maxBatch/,
    );
  });
});
