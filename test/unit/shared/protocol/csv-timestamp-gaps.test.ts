import { from, lastValueFrom, map, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { decodeSamples } from '../../../../runtime/operators/decode-samples.js';
import { toWindows } from '../../../../runtime/operators/to-windows.js';
import { CsvDecoder } from '../../../../shared/protocol/csv-decoder.js';
import type { DecodeEvent } from '../../../../shared/protocol/types.js';
import { ascii } from './stream-helpers.js';

// csv lines with a `t_us` timestamp: a jump of more than 1.5 sample periods means lines were lost. Before this,
// the decoder took the samples on both sides as one stream and a window was cut across the hole.

/** `t_us,v,v` lines at 1000 Hz (period 1000 µs) for the given sample indexes; value = the index. */
const lines = (indexes: number[]) => indexes.map((i) => `${i * 1000},${i},${i}\n`).join('');

function decode(text: string, { sampleRate }: { sampleRate?: number } = { sampleRate: 1000 }): DecodeEvent[] {
  const decoder = new CsvDecoder({ channels: 2, sensorId: 4, sampleRate, timestamp: 't_us' });
  return [...decoder.push(ascii(text)), ...decoder.flush()];
}

describe('csv t_us gaps', () => {
  it('reports a jump as a gap between the samples before and after it, in stream order', () => {
    const events = decode(lines([0, 1, 2, 6, 7]));
    expect(events.map((e) => e.type)).toEqual(['samples', 'gap', 'samples']);
    expect(events[1]).toEqual({
      type: 'gap',
      sensorId: 4,
      expectedUs: 3000,
      receivedUs: 6000,
      missingSamples: 3,
    });
    const values = events.map((e) => (e.type === 'samples' ? Array.from(e.batch.samples) : []));
    expect(values[0]).toEqual([0, 0, 1, 1, 2, 2]);
    expect(values[2]).toEqual([6, 6, 7, 7]);
  });

  it('tolerates jitter up to 1.5 periods and reports a clock that went back as a reset', () => {
    expect(decode('0,0,0\n1400,1,1\n2700,2,2\n').filter((e) => e.type === 'gap')).toEqual([]);
    const back = decode('5000,0,0\n6000,1,1\n0,2,2\n').filter((e) => e.type === 'gap');
    expect(back).toEqual([
      { type: 'gap', sensorId: 4, expectedUs: 7000, receivedUs: 0, missingSamples: 0, reset: true },
    ]);
  });

  it('counts gaps; without a sample rate only a step back is one, and without timestamps none', () => {
    const decoder = new CsvDecoder({ channels: 2, sampleRate: 1000, timestamp: 't_us' });
    decoder.push(ascii(lines([0, 5, 9])));
    expect(decoder.counters.gaps).toBe(2);
    expect(decode(lines([0, 1, 9]), {}).some((e) => e.type === 'gap')).toBe(false);
    expect(decode(lines([0, 9, 1]), {}).filter((e) => e.type === 'gap')).toEqual([
      { type: 'gap', sensorId: 4, expectedUs: 9000, receivedUs: 1000, missingSamples: 0, reset: true },
    ]);
    expect(decode('0,0\n1,1\n2,2\n').some((e) => e.type === 'gap')).toBe(false);
  });

  it('refuses a sample rate that is not a positive number', () => {
    expect(() => new CsvDecoder({ sampleRate: 0 })).toThrow(/sampleRate must be a positive number/);
  });

  it('keeps every window of the daemon path off the hole (decodeSamples -> toWindows)', async () => {
    const spec = { channels: 2, window: 4, hop: 2, sampleRate: 1000 };
    const text = lines([0, 1, 2, 3, 4, 5, 20, 21, 22, 23, 24]);
    const windows = await lastValueFrom(
      from([ascii(text)]).pipe(
        decodeSamples('csv', { channels: 2, sampleRate: 1000, timestamp: 't_us' }),
        toWindows(spec),
        map((w) => Array.from(w.samples.filter((_, i) => i % 2 === 0))),
        toArray(),
      ),
    );
    expect(windows).toEqual([
      [0, 1, 2, 3],
      [2, 3, 4, 5],
      [20, 21, 22, 23],
    ]);
  });
});
