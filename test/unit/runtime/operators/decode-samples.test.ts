import { from, lastValueFrom, map, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { decodeSamples, type SampleEvent } from '../../../../runtime/operators/decode-samples.js';
import { encodeFrame } from '../../../../shared/protocol/index.js';
import type { DecoderCounters } from '../../../../shared/protocol/types.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const frame = (seq: number, samples: number[]) =>
  encodeFrame({ sensorId: 7, seq, channels: 2, samples, format: 'float32' });

const decodeAll = (chunks: Uint8Array[], ...args: Parameters<typeof decodeSamples>) =>
  lastValueFrom(from(chunks).pipe(decodeSamples(...args), toArray()));

const samplesOf = (events: SampleEvent[]) =>
  events.flatMap((e) => (e.type === 'samples' ? Array.from(e.batch.samples) : []));

describe('decodeSamples', () => {
  it('decodes csv across arbitrary chunk boundaries, flushing a last line without newline', async () => {
    const events = await decodeAll([bytes('1,2\n3,'), bytes('4\n5'), bytes(',6')], 'csv', { channels: 2 });
    expect(samplesOf(events)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('skips malformed lines, reports them to onBad and counts them without erroring', async () => {
    const counters: DecoderCounters = { bytes: 0, samples: 0, records: 0, bad: 0, gaps: 0, missingFrames: 0 };
    const bad: string[] = [];
    const events = await decodeAll([bytes('1,2\nxx,oops\n3,4\n')], 'csv', {
      channels: 2,
      sensorId: 3,
      counters,
      onBad: (reason) => bad.push(reason),
    });
    expect(samplesOf(events)).toEqual([1, 2, 3, 4]);
    expect(events.every((e) => e.type === 'samples' && e.batch.sensorId === 3)).toBe(true);
    expect(bad).toHaveLength(1);
    expect(counters).toMatchObject({ bad: 1, bytes: 16 });
  });

  it('emits a gap between frames when sequence numbers jump', async () => {
    const events = await decodeAll([frame(1, [1, 2]), frame(2, [3, 4]), frame(5, [5, 6])], 'frames');
    expect(events.map((e) => e.type)).toEqual(['samples', 'samples', 'gap', 'samples']);
    expect(events[2]).toMatchObject({ type: 'gap', sensorId: 7, missingFrames: 2 });
  });

  it('adds each subscription’s counts to the counters it was given', async () => {
    const counters: DecoderCounters = { bytes: 0, samples: 0, records: 0, bad: 0, gaps: 0, missingFrames: 0 };
    const input = from([bytes('1\n2\n')]).pipe(decodeSamples('csv', { channels: 1, counters }));
    await lastValueFrom(input);
    await lastValueFrom(input);
    expect(counters.records).toBe(4);
    expect(counters.bytes).toBe(8);
  });

  it('emits in the frame its chunk arrives and unsubscribes from the source with its consumer', () => {
    const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
    ts.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('-a--b--c--', { a: bytes('1\n'), b: bytes('2'), c: bytes('\n3\n') });
      const out = source.pipe(decodeSamples('csv', { channels: 1 }));
      const values = (e: SampleEvent) => (e.type === 'samples' ? Array.from(e.batch.samples).join() : e.type);
      expectObservable(out.pipe(map(values)), '^--------!').toBe('-a-----c--', { a: '1', c: '2,3' });
      expectSubscriptions(source.subscriptions).toBe('^--------!');
    });
  });
});
