import { describe, expect, it } from 'vitest';
import { CsvDecoder, type CsvDecoderOptions } from '../../../../shared/protocol/csv-decoder.js';
import type { DecodeEvent, SampleBatch } from '../../../../shared/protocol/types.js';
import { ascii, badOf, samplesOf } from './stream-helpers.js';

/** Decodes text pushed in the given pieces, then flushes. */
function decode(pieces: string[], options: CsvDecoderOptions = { channels: 3 }) {
  const decoder = new CsvDecoder(options);
  const events: DecodeEvent[] = [...pieces.flatMap((p) => decoder.push(ascii(p))), ...decoder.flush()];
  const batches = events.flatMap((e): SampleBatch[] => (e.type === 'samples' ? [e.batch] : []));
  return { decoder, events, batches, samples: samplesOf(events), bad: badOf(events) };
}

describe('CsvDecoder', () => {
  it('reads one sample per line into one interleaved batch per push', () => {
    const { events, batches } = decode(['1,2,3\n4,5,6\n'], { channels: 3, sensorId: 7 });
    expect(events).toHaveLength(1);
    expect(batches[0]).toEqual({ sensorId: 7, channels: 3, samples: Float32Array.of(1, 2, 3, 4, 5, 6) });
  });

  it('accepts \\r\\n, blank lines and blank-only lines without counting them', () => {
    const { samples, decoder } = decode(['1,2,3\r\n\r\n\n  \t\r\n4,5,6\r\n']);
    expect(samples).toEqual([1, 2, 3, 4, 5, 6]);
    expect(decoder.counters).toMatchObject({ records: 2, samples: 2, bad: 0 });
  });

  it('skips header lines before the first data line, and counts non-numeric lines after it', () => {
    const { samples, bad } = decode(['# thrum\nx,y,z\n1,2,3\nx,y,z\n4,5,6\n']);
    expect(samples).toEqual([1, 2, 3, 4, 5, 6]);
    expect(bad).toEqual([{ type: 'bad', reason: 'field 1 is not a finite number: "x"', bytes: 6 }]);
  });

  it('counts non-numeric lines as bad once maxHeaderLines is used up', () => {
    const { bad } = decode(['a\nb\nc\n1,2,3\n'], { channels: 3, maxHeaderLines: 2 });
    expect(bad.map((e) => e.bytes)).toEqual([2]);
  });

  it('with timestamp: t_us, takes the leading field as the time in µs of the sample', () => {
    const { batches } = decode(['1000,1,2,3\n1312,4,5,6\n'], { channels: 3, timestamp: 't_us' });
    expect(batches).toEqual([
      { sensorId: 0, channels: 3, samples: Float32Array.of(1, 2, 3, 4, 5, 6), timestampUs: 1000 },
    ]);
  });

  it('never guesses a timestamp from the field count: one field too many is a bad line', () => {
    // A 1-channel feed that sends "1,2" used to be read as timestamp 1, value 2.
    const { samples, bad, decoder } = decode(['5\n1,2\n3,1\n7\n'], { channels: 1 });
    expect(samples).toEqual([5, 7]);
    expect(bad.map((e) => e.reason)).toEqual([
      'expected 1 fields, got 2 (if lines start with a timestamp, set serial.csvTimestamp: t_us)',
      'expected 1 fields, got 2 (if lines start with a timestamp, set serial.csvTimestamp: t_us)',
    ]);
    expect(decoder.counters).toMatchObject({ records: 2, bad: 2, gaps: 0 });
  });

  it('with timestamp: t_us, refuses lines without one', () => {
    const { samples, bad } = decode(['1000,1,2,3\n4,5,6\n'], { channels: 3, timestamp: 't_us' });
    expect(samples).toEqual([1, 2, 3]);
    expect(bad.map((e) => e.reason)).toEqual(['expected 4 fields (t_us and 3 values), got 3']);
  });

  it('counts a timestamp that runs backwards as a gap, between the samples it separates', () => {
    const { events, decoder } = decode(['1000,1\n2000,2\n500,3\n600,4\n600,5\n'], {
      channels: 1,
      timestamp: 't_us',
    });
    expect(events).toEqual([
      {
        type: 'samples',
        batch: { sensorId: 0, channels: 1, samples: Float32Array.of(1, 2), timestampUs: 1000 },
      },
      { type: 'gap', sensorId: 0, expectedUs: 2000, receivedUs: 500, missingSamples: 0, reset: true },
      {
        type: 'samples',
        batch: { sensorId: 0, channels: 1, samples: Float32Array.of(3, 4, 5), timestampUs: 500 },
      },
    ]);
    expect(decoder.counters).toMatchObject({ records: 5, bad: 0, gaps: 1 });
  });

  it('refuses an unknown timestamp option', () => {
    expect(() => new CsvDecoder({ timestamp: 'auto' as never })).toThrow(
      /timestamp must be "none" or "t_us"/,
    );
  });

  it('counts a timestamp that is not a whole non-negative number', () => {
    const { bad, samples } = decode(['1.5,1,2,3\n-4,1,2,3\n9007199254740993,1,2,3\n'], {
      channels: 3,
      timestamp: 't_us',
    });
    expect(samples).toEqual([]);
    expect(bad.map((e) => e.reason)).toEqual([
      'timestamp 1.5 is not a whole number of µs',
      'timestamp -4 is not a whole number of µs',
      'timestamp 9007199254740992 is not a whole number of µs',
    ]);
  });

  it('counts and skips malformed lines with a reason and their size', () => {
    const { samples, bad, decoder } = decode(['1,2\n1,2,3,4,5\n1,,3\n1,nan,3\n1,inf,3\n1,2,3e39\n1,2,3\n']);
    expect(samples).toEqual([1, 2, 3]);
    expect(bad).toEqual([
      { type: 'bad', reason: 'expected 3 fields, got 2', bytes: 4 },
      { type: 'bad', reason: 'more than 4 fields', bytes: 10 },
      { type: 'bad', reason: 'field 2 is not a finite number: ""', bytes: 5 },
      { type: 'bad', reason: 'field 2 is not a finite number: "nan"', bytes: 8 },
      { type: 'bad', reason: 'field 2 is not a finite number: "inf"', bytes: 8 },
      { type: 'bad', reason: 'field 3 is outside the float32 range', bytes: 9 },
    ]);
    expect(decoder.counters).toMatchObject({ bad: 6, records: 1, samples: 1 });
  });

  it('shortens long bad fields in the reason', () => {
    const { bad } = decode([`1,2,3\n1,${'z'.repeat(100)},3\n`]);
    expect(bad[0].reason).toBe(`field 2 is not a finite number: "${'z'.repeat(24)}…"`);
  });

  it('gives the same samples when a chunk ends inside a number or between \\r and \\n', () => {
    const text = '12.5,-0.25,3e2\r\n4,5,6\r\n';
    const whole = decode([text]).samples;
    expect(whole).toEqual([12.5, -0.25, 300, 4, 5, 6]);
    for (let at = 0; at <= text.length; at++) {
      const split = decode([text.slice(0, at), text.slice(at)]);
      expect(split.samples).toEqual(whole);
      expect(split.bad).toEqual([]);
    }
  });

  it('decodes a last line without newline on flush, and only then', () => {
    const decoder = new CsvDecoder({ channels: 2 });
    expect(samplesOf(decoder.push(ascii('1,2\n3,4')))).toEqual([1, 2]);
    expect(decoder.bufferedBytes).toBe(3);
    expect(samplesOf(decoder.flush())).toEqual([3, 4]);
    expect(decoder.flush()).toEqual([]);
  });

  it('grows its batch past its initial buffer, and never hands out a buffer it later overwrites', () => {
    const decoder = new CsvDecoder({ channels: 3 });
    const rows = Array.from({ length: 5000 }, (_, i) => [i, 1 - 2 * i, i / 4]);
    const first = decoder.push(ascii(rows.map((r) => `${r.join(',')}\n`).join('')));
    expect(first).toHaveLength(1);
    const second = decoder.push(ascii('7,8,9\n'));
    expect(samplesOf(first)).toEqual(rows.flat());
    expect(samplesOf(second)).toEqual([7, 8, 9]);
  });

  it('counts the bytes it is given', () => {
    const { decoder } = decode(['1,2,3\n', 'garbage\n', '4,5']);
    expect(decoder.counters.bytes).toBe(17);
  });

  describe('line length bound', () => {
    it('drops a line longer than maxLineBytes as one bad record and reads the next line', () => {
      const { samples, bad } = decode(['1,2,3\n', `${'9'.repeat(50)}\n`, '4,5,6\n'], {
        channels: 3,
        maxLineBytes: 20,
      });
      expect(samples).toEqual([1, 2, 3, 4, 5, 6]);
      expect(bad).toEqual([{ type: 'bad', reason: 'line longer than 20 bytes', bytes: 51 }]);
    });

    it('does the same when the long line arrives in pieces, never holding more than the bound', () => {
      const decoder = new CsvDecoder({ channels: 3, maxLineBytes: 20 });
      const events = [decoder.push(ascii('1,2,3\n1234567890'))];
      expect(decoder.bufferedBytes).toBe(10);
      for (let i = 0; i < 10; i++) {
        events.push(decoder.push(ascii('1234567890')));
        expect(decoder.bufferedBytes).toBeLessThanOrEqual(20);
      }
      events.push(decoder.push(ascii('\n4,5,6\n')));
      const flat = events.flat();
      expect(samplesOf(flat)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(badOf(flat)).toEqual([{ type: 'bad', reason: 'line longer than 20 bytes', bytes: 111 }]);
    });

    it('accepts a line of exactly maxLineBytes', () => {
      const line = '1.000000,2.00000,3.0'; // 20 bytes
      expect(decode([`${line}\n`], { channels: 3, maxLineBytes: 20 }).samples).toEqual([1, 2, 3]);
      expect(decode([`${line}\r\n`], { channels: 3, maxLineBytes: 20 }).bad).toHaveLength(1);
    });

    it('handles a 10 MB line without a newline in bounded memory, then recovers', () => {
      const decoder = new CsvDecoder({ channels: 3 });
      const block = new Uint8Array(64 * 1024).fill(0x37); // '7'
      let events = decoder.push(ascii('1,2,3\n'));
      for (let sent = 0; sent < 10 * 1024 * 1024; sent += block.length) {
        events = events.concat(decoder.push(block));
        expect(decoder.bufferedBytes).toBeLessThanOrEqual(4096);
      }
      expect(decoder.counters.bad).toBe(0);
      events = events.concat(decoder.push(ascii('\n4,5,6\n')));
      expect(samplesOf(events)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(badOf(events)).toEqual([
        { type: 'bad', reason: 'line longer than 4096 bytes', bytes: 10 * 1024 * 1024 + 1 },
      ]);
    });
  });

  describe('without the channels option', () => {
    it('learns the channel count once two data lines agree', () => {
      const decoder = new CsvDecoder();
      expect(decoder.push(ascii('t,x\n1,2\n'))).toEqual([]);
      const events = decoder.push(ascii('3,4\n5,6\n'));
      expect(samplesOf(events)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(badOf(events)).toEqual([]);
      // Learnt: 2 channels, so 3 fields are one too many (no timestamp was declared).
      expect(badOf(decoder.push(ascii('7,8,9\n')))).toHaveLength(1);
    });

    it('learns the channel count less the declared timestamp', () => {
      const { batches } = decode(['10,1,2\n20,3,4\n'], { timestamp: 't_us' });
      expect(batches).toEqual([
        { sensorId: 0, channels: 2, samples: Float32Array.of(1, 2, 3, 4), timestampUs: 10 },
      ]);
    });

    it('drops a partial first line (port opened mid-line) instead of learning its field count', () => {
      const { samples, bad, batches } = decode(['.25,0.5\n1,2,3\n4,5,6\n'], {});
      expect(samples).toEqual([1, 2, 3, 4, 5, 6]);
      expect(batches[0].channels).toBe(3);
      expect(bad).toEqual([
        { type: 'bad', reason: 'first line has 2 fields but the next has 3: partial line', bytes: 8 },
      ]);
    });

    it('accepts a stream of a single line when it ends', () => {
      expect(decode(['1,2,3,4'], {}).batches).toEqual([
        { sensorId: 0, channels: 4, samples: Float32Array.of(1, 2, 3, 4) },
      ]);
    });
  });

  it('refuses bad options with a usage error naming the option', () => {
    expect(() => new CsvDecoder({ channels: 0 })).toThrow(/channels must be an integer in 1\.\.255, got 0/);
    expect(() => new CsvDecoder({ maxLineBytes: 1.5 })).toThrow(/maxLineBytes/);
    expect(() => new CsvDecoder({ sensorId: -1 })).toThrow(/sensorId/);
  });
});
