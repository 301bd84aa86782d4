import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DelimitedSplitter } from '../../../../shared/protocol/delimited-splitter.js';
import { cut, cutsArb, PROPERTY_TIMEOUT_MS, RUNS } from './stream-helpers.js';

type Out = { record: number[] } | { overflow: number };

function run(max: number, chunks: Uint8Array[], flush = true): { out: Out[]; held: number[] } {
  const splitter = new DelimitedSplitter(0x0a, max);
  const out: Out[] = [];
  const held: number[] = [];
  const onRecord = (b: Uint8Array, s: number, e: number) =>
    out.push({ record: Array.from(b.subarray(s, e)) });
  const onOverflow = (n: number) => out.push({ overflow: n });
  for (const chunk of chunks) {
    splitter.push(chunk, onRecord, onOverflow);
    held.push(splitter.bufferedBytes);
  }
  if (flush) splitter.flush(onRecord, onOverflow);
  return { out, held };
}

/** The obvious model: split everything at once; records over the bound become overflows. */
function model(max: number, bytes: Uint8Array): Out[] {
  const parts: number[][] = [[]];
  for (const b of bytes) b === 0x0a ? parts.push([]) : parts[parts.length - 1].push(b);
  const last = parts.pop()!;
  const out: Out[] = parts.map((p) => (p.length > max ? { overflow: p.length + 1 } : { record: p }));
  if (last.length > 0) out.push(last.length > max ? { overflow: last.length } : { record: last });
  return out;
}

describe('DelimitedSplitter', () => {
  it('cuts at the delimiter, including empty records, and holds the unfinished tail', () => {
    const { out, held } = run(10, [Uint8Array.of(1, 2, 0x0a, 0x0a, 3)], false);
    expect(out).toEqual([{ record: [1, 2] }, { record: [] }]);
    expect(held).toEqual([1]);
  });

  it(
    'gives the records of the model for any chunking and never holds more than the bound',
    () => {
      const bytesArb = fc.array(fc.oneof(fc.constant(0x0a), fc.integer({ min: 0, max: 255 })), {
        maxLength: 120,
      });
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 12 }), bytesArb, cutsArb, (max, raw, cuts) => {
          const bytes = Uint8Array.from(raw);
          const { out, held } = run(max, cut(bytes, cuts));
          expect(out).toEqual(model(max, bytes));
          expect(Math.max(0, ...held)).toBeLessThanOrEqual(max);
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
