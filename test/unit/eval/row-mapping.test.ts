import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapToRows } from '../../../eval/row-mapping.js';

/** Windows of `window` rows every `hop` rows over `rows` rows, as the windower cuts them. */
function windows(rows: number, window: number, hop: number) {
  const out: { endSample: number }[] = [];
  for (let start = 0; start + window <= rows; start += hop) out.push({ endSample: start + window });
  return out;
}

describe('mapToRows: row i takes the latest window ending at or before row i', () => {
  it('hop 1: row i gets the window whose last row is i; rows before the first window get the default', () => {
    const w = windows(8, 3, 1); // last rows 2..7
    const values = [10, 11, 12, 13, 14, 15];
    expect(Array.from(mapToRows(w, values, 8, -1))).toEqual([-1, -1, 10, 11, 12, 13, 14, 15]);
  });

  it('hop > 1: a row between two window ends keeps the earlier window (the later one has not ended yet)', () => {
    const w = windows(10, 4, 3); // last rows 3, 6, 9
    expect(Array.from(mapToRows(w, [1, 2, 3], 10, 0))).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3]);
  });

  it('trailing rows after the last window keep the last window', () => {
    const w = windows(11, 4, 3); // last rows 3, 6, 9; row 10 is not the end of any window
    expect(mapToRows(w, [1, 2, 3], 11, 0)[10]).toBe(3);
  });

  it('never uses data after row i: changing any window that ends after i leaves row i unchanged', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 10, max: 60 }),
        fc.integer({ min: 0, max: 59 }),
        (window, hop, rows, at) => {
          const i = at % rows;
          const w = windows(rows, window, hop);
          const a = w.map((_, k) => k + 1);
          // Perturb every window whose last row lies after row i.
          const b = w.map((x, k) => (x.endSample - 1 > i ? -100 - k : k + 1));
          expect(mapToRows(w, b, rows, 0)[i]).toBe(mapToRows(w, a, rows, 0)[i]);
        },
      ),
    );
  });

  it('refuses windows out of stream order', () => {
    expect(() => mapToRows([{ endSample: 5 }, { endSample: 3 }], [1, 2], 6)).toThrow(/stream order/);
  });
});
