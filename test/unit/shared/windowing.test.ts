import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ThrumError } from '../../../shared/errors.js';
import { slidingWindows, Windower, type WindowSpec, windowCount } from '../../../shared/windowing.js';

interface Got {
  start: number;
  values: number[];
}

/** Sample i of channel c is 100*i + c, so every value says where it came from. */
function ramp(samples: number, channels: number, from = 0): Float32Array {
  const out = new Float32Array(samples * channels);
  for (let i = 0; i < samples; i++)
    for (let c = 0; c < channels; c++) out[i * channels + c] = 100 * (from + i) + c;
  return out;
}

function pushAll(windower: Windower, parts: Float32Array[]): Got[] {
  const got: Got[] = [];
  for (const part of parts)
    windower.push(part, (view, start) => got.push({ start, values: Array.from(view) }));
  return got;
}

function sliding(samples: Float32Array, spec: WindowSpec): Got[] {
  return [...slidingWindows(samples, spec)].map(({ view, startSample }) => ({
    start: startSample,
    values: Array.from(view),
  }));
}

function split(samples: Float32Array, channels: number, sizes: number[]): Float32Array[] {
  const parts: Float32Array[] = [];
  let at = 0;
  for (const size of sizes) {
    parts.push(samples.subarray(at * channels, (at + size) * channels));
    at += size;
  }
  return parts;
}

describe('slidingWindows', () => {
  it('yields views of the recording at every hop, interleaved channels kept together', () => {
    const data = ramp(7, 2);
    const got = sliding(data, { channels: 2, window: 3, hop: 2 });
    expect(got).toEqual([
      { start: 0, values: [0, 1, 100, 101, 200, 201] },
      { start: 2, values: [200, 201, 300, 301, 400, 401] },
      { start: 4, values: [400, 401, 500, 501, 600, 601] },
    ]);
    for (const { view } of slidingWindows(data, { channels: 2, window: 3, hop: 2 })) {
      expect(view.buffer).toBe(data.buffer);
    }
  });

  it('stops one sample short of a window and skips the gap when hop > window', () => {
    expect(sliding(ramp(11, 1), { channels: 1, window: 4, hop: 4 }).map((w) => w.start)).toEqual([0, 4]);
    expect(sliding(ramp(12, 1), { channels: 1, window: 4, hop: 4 }).map((w) => w.start)).toEqual([0, 4, 8]);
    expect(sliding(ramp(12, 1), { channels: 1, window: 2, hop: 5 })).toEqual([
      { start: 0, values: [0, 100] },
      { start: 5, values: [500, 600] },
      { start: 10, values: [1000, 1100] },
    ]);
  });

  it('windowCount agrees with the number of windows yielded', () => {
    expect(windowCount(3, { channels: 1, window: 4, hop: 1 })).toBe(0);
    expect(windowCount(4, { channels: 1, window: 4, hop: 9 })).toBe(1);
    expect(windowCount(13, { channels: 1, window: 4, hop: 3 })).toBe(4);
    expect(sliding(ramp(13, 1), { channels: 1, window: 4, hop: 3 })).toHaveLength(4);
  });

  it('rejects a recording that ends in a partial sample', () => {
    expect(() => [...slidingWindows(new Float32Array(5), { channels: 2, window: 1, hop: 1 })]).toThrow(
      /not a whole number of samples for 2 interleaved channels/,
    );
  });
});

describe('Windower', () => {
  it('emits windows at exact multiples and holds back a window one sample short', () => {
    const w = new Windower({ channels: 1, window: 4, hop: 4 });
    expect(pushAll(w, [ramp(15, 1)]).map((g) => g.start)).toEqual([0, 4, 8]);
    expect(w.samplesBuffered).toBe(3);
    expect(pushAll(w, [ramp(1, 1, 15)])).toEqual([{ start: 12, values: [1200, 1300, 1400, 1500] }]);
    expect(w.samplesSeen).toBe(16);
    expect(w.windowsEmitted).toBe(4);
    expect(w.samplesBuffered).toBe(0);
  });

  it('hop < window: overlapping windows across a push boundary', () => {
    const w = new Windower({ channels: 1, window: 4, hop: 2 });
    const got = pushAll(w, [ramp(5, 1), ramp(5, 1, 5)]);
    expect(got.map((g) => g.start)).toEqual([0, 2, 4, 6]);
    expect(got[1].values).toEqual([200, 300, 400, 500]);
    expect(got[2].values).toEqual([400, 500, 600, 700]);
  });

  it('hop > window: skips the samples in between, also when the gap spans pushes', () => {
    const w = new Windower({ channels: 2, window: 2, hop: 7 });
    const data = ramp(20, 2);
    const got = pushAll(w, split(data, 2, Array(20).fill(1)));
    expect(got).toEqual([
      { start: 0, values: [0, 1, 100, 101] },
      { start: 7, values: [700, 701, 800, 801] },
      { start: 14, values: [1400, 1401, 1500, 1501] },
    ]);
    expect(w.samplesSeen).toBe(20);
  });

  it('passes views of the pushed array when a window lies inside it', () => {
    const w = new Windower({ channels: 3, window: 4, hop: 4 });
    const data = ramp(8, 3);
    const buffers: ArrayBufferLike[] = [];
    w.push(data, (view) => buffers.push(view.buffer));
    expect(buffers).toEqual([data.buffer, data.buffer]);
  });

  it('reset() drops buffered samples but keeps the absolute sample count', () => {
    const w = new Windower({ channels: 1, window: 4, hop: 2 });
    expect(pushAll(w, [ramp(5, 1)]).map((g) => g.start)).toEqual([0]);
    w.reset();
    expect(w.samplesBuffered).toBe(0);
    const got = pushAll(w, [ramp(3, 1, 50), ramp(3, 1, 53)]);
    expect(got).toEqual([
      { start: 5, values: [5000, 5100, 5200, 5300] },
      { start: 7, values: [5200, 5300, 5400, 5500] },
    ]);
    expect(w.samplesSeen).toBe(11);
    expect(w.windowsEmitted).toBe(3);
  });

  it('throws a clear Error on a push of partial samples', () => {
    const w = new Windower({ channels: 3, window: 2, hop: 1 });
    expect(() => w.push(new Float32Array(4), () => {})).toThrow(
      'Windower.push: 4 values is not a whole number of samples for 3 interleaved channels',
    );
  });

  it('rejects a bad spec naming the field', () => {
    expect(() => new Windower({ channels: 1, window: 0, hop: 1 })).toThrow(ThrumError);
    expect(() => new Windower({ channels: 1, window: 4, hop: 1.5 })).toThrow(
      /hop must be a positive integer/,
    );
  });

  const specArb = fc.record({
    channels: fc.integer({ min: 1, max: 3 }),
    window: fc.integer({ min: 1, max: 12 }),
    hop: fc.integer({ min: 1, max: 20 }),
  });
  const pushSizes = fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 12 });

  it('over any push split equals slidingWindows over the whole array (property)', () => {
    fc.assert(
      fc.property(specArb, pushSizes, (spec, sizes) => {
        const total = sizes.reduce((a, b) => a + b, 0);
        const data = ramp(total, spec.channels);
        const w = new Windower(spec);
        expect(pushAll(w, split(data, spec.channels, sizes))).toEqual(sliding(data, spec));
        expect(w.samplesSeen).toBe(total);
        expect(w.windowsEmitted).toBe(windowCount(total, spec));
      }),
      { numRuns: 400 },
    );
  });

  it('after reset() at sample k equals slidingWindows over the rest, shifted by k (property)', () => {
    fc.assert(
      fc.property(specArb, pushSizes, pushSizes, (spec, before, after) => {
        const k = before.reduce((a, b) => a + b, 0);
        const rest = after.reduce((a, b) => a + b, 0);
        const w = new Windower(spec);
        pushAll(w, split(ramp(k, spec.channels), spec.channels, before));
        w.reset();
        const tail = ramp(rest, spec.channels, k);
        const expected = sliding(tail, spec).map((g) => ({ ...g, start: g.start + k }));
        expect(pushAll(w, split(tail, spec.channels, after))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
