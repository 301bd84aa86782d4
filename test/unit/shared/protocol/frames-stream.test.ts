import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FramesDecoder } from '../../../../shared/protocol/frames-decoder.js';
import { encodeFrame } from '../../../../shared/protocol/frames-encoder.js';
import type { DecodeEvent } from '../../../../shared/protocol/types.js';
import { badOf, concat, cut, cutsArb, PROPERTY_TIMEOUT_MS, pushAll, RUNS } from './stream-helpers.js';

const SENSORS = 3;

/** A frame to send, with the float32 samples the receiver must get back. */
interface FrameSpec {
  sensorId: number;
  /** Frames the sender skips (lost on the way) before this one. */
  skip: number;
  channels: number;
  format: 'int16' | 'float32';
  scale: number;
  expected: number[];
}

const frameSpecArb: fc.Arbitrary<FrameSpec> = fc
  .record({
    sensorId: fc.integer({ min: 0, max: SENSORS - 1 }),
    skip: fc.oneof(
      { arbitrary: fc.constant(0), weight: 4 },
      { arbitrary: fc.integer({ min: 1, max: 5 }), weight: 1 },
    ),
    channels: fc.integer({ min: 1, max: 3 }),
    perChannel: fc.integer({ min: 0, max: 6 }),
    format: fc.constantFrom('int16' as const, 'float32' as const),
    scale: fc.float({ min: Math.fround(1e-6), max: 1000, noNaN: true }),
    counts: fc.array(fc.integer({ min: -32768, max: 32767 }), { minLength: 18, maxLength: 18 }),
    values: fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: 18, maxLength: 18 }),
  })
  .map(({ sensorId, skip, channels, perChannel, format, scale, counts, values }) => {
    const n = channels * perChannel;
    // int16 samples are count × scale, exactly what the receiver computes, so encoding loses nothing.
    const expected =
      format === 'int16' ? counts.slice(0, n).map((c) => Math.fround(c * scale)) : values.slice(0, n);
    return { sensorId, skip, channels, format, scale, expected };
  });

type Segment = { kind: 'frame'; spec: FrameSpec } | { kind: 'garbage'; bytes: Uint8Array };

/** Random bytes followed by a 0x00: the burst may hold 0x00s of its own; the last one ends it for sure. */
const garbageArb = fc
  .uint8Array({ maxLength: 80 })
  .map((bytes): Segment => ({ kind: 'garbage', bytes: concat([bytes, Uint8Array.of(0)]) }));
const segmentsArb = fc.array(
  fc.oneof(
    { arbitrary: frameSpecArb.map((spec): Segment => ({ kind: 'frame', spec })), weight: 3 },
    { arbitrary: garbageArb, weight: 1 },
  ),
  { maxLength: 12 },
);
/** First sequence number per sensor; some start just below 2^32 to cross the wraparound. */
const startSeqsArb = fc.array(
  fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0xfffffff8, max: 0xffffffff })),
  { minLength: SENSORS, maxLength: SENSORS },
);

/** The wire bytes and the events a correct decoder must emit, apart from `bad` ones. */
function scenario(segments: Segment[], startSeqs: number[]) {
  const next = [...startSeqs];
  const seen = new Set<number>();
  const wire: Uint8Array[] = [];
  const expected: DecodeEvent[] = [];
  for (const segment of segments) {
    if (segment.kind === 'garbage') {
      wire.push(segment.bytes);
      continue;
    }
    const { sensorId, skip, channels, format, scale, expected: samples } = segment.spec;
    const seq = (next[sensorId] + skip) >>> 0;
    wire.push(encodeFrame({ sensorId, seq, channels, samples, format, scale }));
    if (seen.has(sensorId) && skip > 0) {
      expected.push({
        type: 'gap',
        sensorId,
        expectedSeq: next[sensorId],
        receivedSeq: seq,
        missingFrames: skip,
      });
    }
    if (samples.length > 0) {
      expected.push({
        type: 'samples',
        batch: { sensorId, seq, channels, samples: Float32Array.from(samples) },
      });
    }
    seen.add(sensorId);
    next[sensorId] = (seq + 1) >>> 0;
  }
  return { stream: concat(wire), expected };
}

function decode(chunks: Uint8Array[]): { decoder: FramesDecoder; events: DecodeEvent[] } {
  const decoder = new FramesDecoder();
  return { decoder, events: [...pushAll(decoder, chunks), ...decoder.flush()] };
}

describe('FramesDecoder on random streams', () => {
  it(
    'recovers every frame after garbage exactly, reports every gap, whatever the chunk boundaries',
    () => {
      fc.assert(
        fc.property(segmentsArb, startSeqsArb, cutsArb, (segments, startSeqs, cuts) => {
          const { stream, expected } = scenario(segments, startSeqs);
          const { decoder, events } = decode(cut(stream, cuts));

          expect(events.filter((e) => e.type !== 'bad')).toEqual(expected);

          // Every non-zero garbage byte is accounted for in a bad record; nothing else is.
          const garbage = segments.flatMap((s) => (s.kind === 'garbage' ? [s.bytes] : []));
          const badBytes = badOf(events).reduce((n, e) => n + e.bytes, 0);
          expect(badBytes).toBeGreaterThanOrEqual(
            garbage.reduce((n, g) => n + g.filter((b) => b !== 0).length, 0),
          );
          expect(badBytes).toBeLessThanOrEqual(garbage.reduce((n, g) => n + g.length, 0));

          const gaps = expected.filter((e) => e.type === 'gap');
          const frames = segments.flatMap((s) => (s.kind === 'frame' ? [s.spec] : []));
          expect(decoder.counters).toEqual({
            bytes: stream.length,
            samples: frames.reduce((n, f) => n + f.expected.length / f.channels, 0),
            records: frames.length,
            bad: badOf(events).length,
            gaps: gaps.length,
            missingFrames: gaps.reduce(
              (n, g) => n + (g.type === 'gap' && 'missingFrames' in g ? g.missingFrames : 0),
              0,
            ),
          });

          expect(decode([stream]).events).toEqual(events);
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'never emits a frame with a flipped bit, and reports it as missing once the next frame arrives',
    () => {
      const arb = fc.tuple(frameSpecArb, fc.integer({ min: 0, max: 0xfffffffd }), fc.nat(), cutsArb);
      fc.assert(
        fc.property(arb, ([spec, seq, bit, cuts]) => {
          const { sensorId, format, scale } = spec;
          const samples = spec.expected.length > 0 ? spec.expected : [1];
          const send = (s: number) => encodeFrame({ sensorId, seq: s, channels: 1, samples, format, scale });
          const corrupted = send(seq + 1);
          const at = bit % ((corrupted.length - 1) * 8); // any bit but the delimiter's
          corrupted[at >> 3] ^= 1 << (at & 7);

          const { decoder, events } = decode(cut(concat([send(seq), corrupted, send(seq + 2)]), cuts));
          expect(
            events.filter((e) => e.type === 'samples').map((e) => e.type === 'samples' && e.batch.seq),
          ).toEqual([seq, seq + 2]);
          expect(events.filter((e) => e.type === 'gap')).toEqual([
            { type: 'gap', sensorId, expectedSeq: seq + 1, receivedSeq: seq + 2, missingFrames: 1 },
          ]);
          expect(decoder.counters.bad).toBeGreaterThanOrEqual(1);
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
