import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeqGapTracker } from '../../../../shared/mqtt/seq-gaps.js';

const gap = (fromSeq: number, toSeq: number, sensorId = 's') => ({ deviceId: 'd', sensorId, fromSeq, toSeq });

describe('SeqGapTracker', () => {
  it('finds no gap in an unbroken run, starting wherever the consumer joined', () => {
    const t = new SeqGapTracker();
    for (let seq = 57; seq <= 70; seq++) expect(t.alert('d', 's', seq)).toBe(true);
    expect(t.gaps()).toEqual([]);
  });

  it('reports missing seqs as ranges until they arrive', () => {
    const t = new SeqGapTracker();
    for (const seq of [1, 2, 5, 6, 9]) t.alert('d', 's', seq);
    expect(t.gaps()).toEqual([gap(3, 4), gap(7, 8)]);
    t.alert('d', 's', 4);
    t.alert('d', 's', 3);
    expect(t.gaps()).toEqual([gap(7, 8)]);
  });

  it('flags duplicates (at-least-once delivery) without counting them twice', () => {
    const t = new SeqGapTracker();
    expect(t.alert('d', 's', 1)).toBe(true);
    expect(t.alert('d', 's', 2)).toBe(true);
    expect(t.alert('d', 's', 2)).toBe(false);
    expect(t.alert('d', 's', 1)).toBe(false);
    expect(t.alert('d', 's', 4)).toBe(true);
    expect(t.alert('d', 's', 4)).toBe(false);
    expect(t.gaps()).toEqual([gap(3, 3)]);
  });

  it('accepts an eviction record before or after the gap it explains', () => {
    const before = new SeqGapTracker();
    before.alert('d', 's', 1);
    before.evicted('d', 's', { fromSeq: 2, toSeq: 5 });
    before.alert('d', 's', 6);
    expect(before.gaps()).toEqual([]);

    const after = new SeqGapTracker();
    after.alert('d', 's', 1);
    after.alert('d', 's', 6);
    expect(after.gaps()).toEqual([gap(2, 5)]);
    after.evicted('d', 's', { fromSeq: 2, toSeq: 4 });
    expect(after.gaps()).toEqual([gap(5, 5)]);
  });

  it('keeps sensors and devices apart', () => {
    const t = new SeqGapTracker();
    t.alert('d', 'a', 1);
    t.alert('d', 'a', 3);
    t.alert('d', 'b', 1);
    t.alert('d', 'b', 2);
    t.alert('e', 'a', 10);
    expect(t.gaps()).toEqual([gap(2, 2, 'a')]);
  });

  it('copes with a huge jump without walking every seq', () => {
    const t = new SeqGapTracker();
    t.alert('d', 's', 1);
    t.alert('d', 's', 1e12);
    expect(t.gaps()).toEqual([gap(2, 1e12 - 1)]);
  });

  it('reports exactly the seqs that neither arrived nor were evicted (property)', () => {
    const scenario = fc.record({
      n: fc.integer({ min: 1, max: 60 }),
      fate: fc.array(fc.constantFrom('arrive', 'twice', 'evict', 'lose'), { minLength: 60, maxLength: 60 }),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(scenario, ({ n, fate, seed }) => {
        // seq 1 always arrives first: a consumer's count starts at the first message it sees.
        const events: Array<['a' | 'e', number]> = [['a', 1]];
        const lost = new Set<number>();
        for (let seq = 2; seq <= n; seq++) {
          const f = fate[seq - 1];
          if (f === 'arrive') events.push(['a', seq]);
          if (f === 'twice') events.push(['a', seq], ['a', seq]);
          if (f === 'evict') events.push(['e', seq]);
          if (f === 'lose') lost.add(seq);
        }
        events.push(['a', n + 1]);
        // Shuffle all but the first event deterministically: order of arrival must not matter.
        let s = seed;
        for (let i = events.length - 1; i > 1; i--) {
          s = (s * 1103515245 + 12345) & 0x7fffffff;
          const j = 1 + (s % i);
          [events[i], events[j]] = [events[j]!, events[i]!];
        }
        const t = new SeqGapTracker();
        for (const [kind, seq] of events) {
          if (kind === 'a') t.alert('d', 's', seq);
          else t.evicted('d', 's', { fromSeq: seq, toSeq: seq });
        }
        const reported = new Set(
          t.gaps().flatMap((g) => Array.from({ length: g.toSeq - g.fromSeq + 1 }, (_, k) => g.fromSeq + k)),
        );
        expect([...reported].sort((a, b) => a - b)).toEqual([...lost].sort((a, b) => a - b));
      }),
    );
  });
});
