import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvDecoder } from '../../../../shared/protocol/csv-decoder.js';
import type { DecodeEvent } from '../../../../shared/protocol/types.js';
import {
  ascii,
  badOf,
  concat,
  cut,
  cutsArb,
  PROPERTY_TIMEOUT_MS,
  pushAll,
  RUNS,
  samplesOf,
} from './stream-helpers.js';

const MAX_LINE = 200;

/** A number as senders write it, in one of several styles, with the float32 the decoder must make of it. */
const STYLES = ['string', 'exponential', 'fixed', 'integer'] as const;
const PADS = ['', ' ', '\t', '  '];

/** A number as senders write it, in one of several styles, with the float32 the decoder must make of it. */
const numberText = fc
  .tuple(fc.double({ min: -1e30, max: 1e30, noNaN: true }), fc.nat(4 * 9 * 4 - 1))
  .map(([value, pick]) => {
    const style = STYLES[pick % 4];
    const digits = Math.floor(pick / 4) % 9;
    const pad = PADS[Math.floor(pick / 36)];
    const text =
      style === 'exponential'
        ? value.toExponential(digits)
        : style === 'fixed'
          ? value.toFixed(digits)
          : style === 'integer'
            ? String(Math.round(value))
            : String(value);
    return { text: `${pad}${text}${pad}`, value: Math.fround(Number(text)) };
  });

type Segment =
  | { kind: 'data'; values: number[]; timestampUs?: number; bytes: Uint8Array }
  | { kind: 'garbage'; bytes: Uint8Array }
  | { kind: 'blank'; bytes: Uint8Array };

const ending = fc.constantFrom('\n', '\r\n');

function segmentArb(channels: number, timestamps: boolean): fc.Arbitrary<Segment> {
  const data = fc
    .tuple(
      fc.array(numberText, { minLength: channels, maxLength: channels }),
      timestamps ? fc.nat() : fc.constant(null),
      ending,
    )
    .map(([fields, ts, end]): Segment => {
      const texts = fields.map((f) => f.text);
      if (ts !== null) texts.unshift(String(ts));
      return {
        kind: 'data',
        values: fields.map((f) => f.value),
        ...(ts === null ? {} : { timestampUs: ts }),
        bytes: ascii(texts.join(',') + end),
      };
    });
  // Any bytes but a newline, with at least one letter so the line can never be a number list; some are
  // longer than MAX_LINE and must be dropped without buffering.
  const garbage = fc
    .tuple(fc.uint8Array({ maxLength: 300 }), fc.nat(), ending)
    .map(([raw, at, end]): Segment => {
      const line = Array.from(raw, (b) => (b === 0x0a ? 0x2c : b));
      line.splice(at % (line.length + 1), 0, 0x78);
      return { kind: 'garbage', bytes: concat([Uint8Array.from(line), ascii(end)]) };
    });
  const blank = fc
    .tuple(fc.constantFrom('', ' ', '\t \t'), ending)
    .map(([text, end]): Segment => ({ kind: 'blank', bytes: ascii(text + end) }));
  return fc.oneof(
    { arbitrary: data, weight: 4 },
    { arbitrary: garbage, weight: 2 },
    { arbitrary: blank, weight: 1 },
  );
}

/** Channels, whether the lines carry timestamps (declared to the decoder), and the lines. */
const streamArb = fc
  .tuple(fc.integer({ min: 1, max: 4 }), fc.boolean())
  .chain(([channels, timestamps]) =>
    fc.tuple(
      fc.constant(channels),
      fc.constant(timestamps),
      fc.array(segmentArb(channels, timestamps), { maxLength: 16 }),
    ),
  );

function decode(channels: number, timestamps: boolean, chunks: Uint8Array[]) {
  const decoder = new CsvDecoder({
    channels,
    timestamp: timestamps ? 't_us' : 'none',
    maxHeaderLines: 0,
    maxLineBytes: MAX_LINE,
  });
  const events: DecodeEvent[] = [...pushAll(decoder, chunks), ...decoder.flush()];
  return { decoder, events };
}

describe('CsvDecoder on random streams', () => {
  it(
    'recovers every data line, counts every garbage line once, whatever the chunk boundaries',
    () => {
      fc.assert(
        fc.property(streamArb, cutsArb, ([channels, timestamps, segments], cuts) => {
          const stream = concat(segments.map((s) => s.bytes));
          const { decoder, events } = decode(channels, timestamps, cut(stream, cuts));
          const rows = segments.flatMap((s) => (s.kind === 'data' ? [s] : []));
          const garbage = segments.filter((s) => s.kind === 'garbage');
          // Every timestamp earlier than the one before it is a gap.
          const backwards = rows.filter((r, i) => i > 0 && r.timestampUs! < rows[i - 1]!.timestampUs!);

          expect(samplesOf(events)).toEqual(rows.flatMap((r) => r.values));
          expect(badOf(events).map((e) => e.bytes)).toEqual(garbage.map((g) => g.bytes.length));
          expect(decoder.counters).toEqual({
            bytes: stream.length,
            samples: rows.length,
            records: rows.length,
            bad: garbage.length,
            gaps: backwards.length,
            missingFrames: 0,
          });

          // Each batch carries the timestamp of its first row; a gap comes right before the row it names, and
          // no batch runs across one.
          let row = 0;
          for (const e of events) {
            if (e.type === 'gap') {
              expect('receivedUs' in e && e.receivedUs).toBe(rows[row]!.timestampUs);
              expect('expectedUs' in e && e.expectedUs).toBe(rows[row - 1]!.timestampUs);
              expect(e.reset).toBe(true);
              continue;
            }
            if (e.type !== 'samples') continue;
            const count = e.batch.samples.length / channels;
            const inBatch = rows.slice(row, row + count);
            expect(e.batch.timestampUs).toBe(inBatch[0]!.timestampUs);
            expect(inBatch.slice(1).some((r, i) => r.timestampUs! < inBatch[i]!.timestampUs!)).toBe(false);
            row += count;
          }

          // The same events as one big push, up to how samples are grouped into batches.
          const whole = decode(channels, timestamps, [stream]).events;
          expect(samplesOf(events)).toEqual(samplesOf(whole));
          expect(badOf(events)).toEqual(badOf(whole));
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'learns the channel count from the data, past a header and a partial first line',
    () => {
      const arb = fc.integer({ min: 2, max: 5 }).chain((channels) =>
        fc.tuple(
          fc.constant(channels),
          fc.option(fc.integer({ min: 1, max: channels - 1 })),
          fc.array(fc.array(numberText, { minLength: channels, maxLength: channels }), {
            minLength: 1,
            maxLength: 10,
          }),
          cutsArb,
        ),
      );
      fc.assert(
        fc.property(arb, ([channels, partial, lines, cuts]) => {
          const head = partial === null ? 'x,y,z\r\n' : `${Array(partial).fill('0.5').join(',')}\r\n`;
          const text = head + lines.map((fields) => fields.map((f) => f.text).join(',')).join('\r\n');
          const decoder = new CsvDecoder();
          const events = [...pushAll(decoder, cut(ascii(text), cuts)), ...decoder.flush()];
          expect(samplesOf(events)).toEqual(lines.flatMap((fields) => fields.map((f) => f.value)));
          expect(badOf(events)).toHaveLength(partial === null ? 0 : 1);
          for (const e of events) if (e.type === 'samples') expect(e.batch.channels).toBe(channels);
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
