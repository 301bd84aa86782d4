import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeenIds } from '../../../../tools/watch/seen-ids.js';

describe('SeenIds', () => {
  it('reports an id as new once and as seen afterwards', () => {
    const seen = new SeenIds(10);
    expect(seen.check('a')).toBe(false);
    expect(seen.check('a')).toBe(true);
    expect(seen.check('b')).toBe(false);
    expect(seen.size).toBe(2);
  });

  it('forgets the least recently seen id beyond capacity; a repeat refreshes an id', () => {
    const seen = new SeenIds(2);
    seen.check('a');
    seen.check('b');
    seen.check('a'); // a is now the most recent
    seen.check('c'); // evicts b
    expect(seen.size).toBe(2);
    expect(seen.check('a')).toBe(true);
    expect(seen.check('b')).toBe(false);
  });

  it('never holds more than its capacity and agrees with an unbounded set within it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 40 }),
        (ids, cap) => {
          const seen = new SeenIds(cap);
          const recent: number[] = []; // model: most recent last
          for (const id of ids) {
            const expected = recent.includes(id);
            expect(seen.check(String(id))).toBe(expected);
            if (expected) recent.splice(recent.indexOf(id), 1);
            recent.push(id);
            if (recent.length > cap) recent.shift();
            expect(seen.size).toBeLessThanOrEqual(cap);
          }
        },
      ),
    );
  });

  it('rejects a capacity below 1', () => {
    expect(() => new SeenIds(0)).toThrow(/capacity/);
  });
});
