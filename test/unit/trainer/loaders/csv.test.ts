import { describe, expect, it } from 'vitest';
import { ThrumError } from '../../../../shared/errors.js';
import { formatRecordHeader, parseRecordHeader } from '../../../../shared/record-format.js';
import { parseCsv } from '../../../../trainer/loaders/csv.js';

function badData(fn: () => unknown): ThrumError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ThrumError);
    expect((e as ThrumError).code).toBe('BAD_DATA');
    return e as ThrumError;
  }
  throw new Error('expected a BAD_DATA error');
}

describe('parseCsv', () => {
  it('reads comma-separated rows without a header, channels interleaved', () => {
    const r = parseCsv('1,2,3\n4,5,6\n', 'a.csv', { sampleRate: 100 });
    expect(r.channels).toBe(3);
    expect(Array.from(r.samples)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.names).toEqual(['col0', 'col1', 'col2']);
    expect(r.sampleRate).toBe(100);
  });

  it('reads ; separated rows with a header, skips datetime and label columns and infers 1 Hz', () => {
    const text = [
      'datetime;a;b;anomaly',
      '2020-03-09 10:14:33;1.5;2;0.0',
      '2020-03-09 10:14:34;3;4;0.0',
      '2020-03-09 10:14:35;5;6;1.0',
    ].join('\r\n');
    const r = parseCsv(text, 's.csv');
    expect(r.names).toEqual(['a', 'b']);
    expect(Array.from(r.samples)).toEqual([1.5, 2, 3, 4, 5, 6]);
    expect(r.sampleRate).toBeCloseTo(1, 9);
    expect(r.notes.join(' ')).toMatch(/datetime \(not numeric\).*anomaly \(label column\)/);
    expect(r.notes.join(' ')).toMatch(/columns used: a, b/);
  });

  it('reads tab-separated data', () => {
    const r = parseCsv('x\ty\n1\t2\n3\t4\n', 't.tsv', { sampleRate: 10 });
    expect(r.names).toEqual(['x', 'y']);
    expect(Array.from(r.samples)).toEqual([1, 2, 3, 4]);
  });

  it('picks --columns by name and by 0-based index, in the order given', () => {
    const text = 't,x,y,z\n0,1,2,3\n1,4,5,6\n';
    const r = parseCsv(text, 'p.csv', { columns: ['z', '1'], sampleRate: 5 });
    expect(r.names).toEqual(['z', 'x']);
    expect(Array.from(r.samples)).toEqual([3, 1, 6, 4]);
  });

  it('explains unknown column names and names without a header', () => {
    expect(badData(() => parseCsv('x,y\n1,2\n', 'n.csv', { columns: ['q'], sampleRate: 1 })).message).toMatch(
      /n\.csv: no column 'q'.*columns are: x, y/,
    );
    expect(badData(() => parseCsv('1,2\n', 'h.csv', { columns: ['x'], sampleRate: 1 })).message).toMatch(
      /no header/,
    );
    expect(badData(() => parseCsv('1,2\n', 'i.csv', { columns: ['5'], sampleRate: 1 })).message).toMatch(
      /out of range/,
    );
  });

  it('names file and line of a ragged row', () => {
    const e = badData(() => parseCsv('x,y\n1,2\n\n3\n', 'r.csv', { sampleRate: 1 }));
    expect(e.message).toMatch(/^r\.csv:4: ragged row: 1 fields where the file has 2/);
  });

  it('names file, line and column of NaN, Inf and non-numbers', () => {
    expect(badData(() => parseCsv('x,y\n1,2\n3,NaN\n', 'nan.csv', { sampleRate: 1 })).message).toMatch(
      /^nan\.csv:3: column y holds NaN \(NaN\/Inf\)/,
    );
    expect(badData(() => parseCsv('x,y\n1,Infinity\n', 'inf.csv', { sampleRate: 1 })).message).toMatch(
      /^inf\.csv:2: .*NaN\/Inf/,
    );
    expect(badData(() => parseCsv('x,y\n1,2\n1,\n', 'e.csv', { sampleRate: 1 })).message).toMatch(
      /^e\.csv:3: column y holds '' \(not a number\)/,
    );
  });

  it('asks for --sample-rate when the file does not carry one', () => {
    expect(badData(() => parseCsv('x\n1\n2\n', 'norate.csv')).message).toMatch(
      /norate\.csv: .*pass --sample-rate/,
    );
  });

  it('reads the thrum record format: rate and names from the metadata line', () => {
    const header = formatRecordHeader({ sampleRate: 3200, names: ['x', 'y', 'z'] });
    const r = parseCsv(`${header}\n0.1,0.2,0.3\n0.4,0.5,0.6\n`, 'rec.csv');
    expect(r.sampleRate).toBe(3200);
    expect(r.names).toEqual(['x', 'y', 'z']);
    expect(r.samples[5]).toBeCloseTo(0.6, 6);
  });

  it('treats a leading column of increasing integers as a µs clock and takes the rate from it', () => {
    const r = parseCsv('0,1.5,2\n500,3,4\n1000,5,6\n1500,7,8\n', 'clock.csv');
    expect(r.channels).toBe(2);
    expect(Array.from(r.samples)).toEqual([1.5, 2, 3, 4, 5, 6, 7, 8]);
    expect(r.sampleRate).toBe(2000);
  });

  it('keeps a leading integer column that is not a clock', () => {
    const r = parseCsv('1,5\n2,3\n30,7\n', 'int.csv', { sampleRate: 1 });
    expect(r.channels).toBe(2);
    expect(Array.from(r.samples)).toEqual([1, 5, 2, 3, 30, 7]);
  });

  it('rejects a file with no data rows', () => {
    expect(badData(() => parseCsv('x,y\n# nothing\n', 'empty.csv', { sampleRate: 1 })).message).toMatch(
      /no data rows/,
    );
  });
});

describe('record header', () => {
  it('round-trips and ignores other comment lines', () => {
    const line = formatRecordHeader({ sampleRate: 1600, names: ['a x', 'b'] });
    expect(line).toBe('# thrum record sampleRate=1600 channels=2 names=a_x,b');
    expect(parseRecordHeader(line)).toEqual({ sampleRate: 1600, names: ['a_x', 'b'] });
    expect(parseRecordHeader('# some comment')).toBeUndefined();
  });
});
