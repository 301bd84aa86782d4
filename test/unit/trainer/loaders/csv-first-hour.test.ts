import { describe, expect, it } from 'vitest';
import { formatRecordHeader } from '../../../../shared/record-format.js';
import { parseCsv } from '../../../../trainer/loaders/csv.js';
import { parseTimestamp } from '../../../../trainer/loaders/timestamp.js';

// The files a new user met in the first hour: sim output with a record line, pandas' numeric header,
// NASA IMS's index column and dotted timestamps, and eval on a headerless file.
describe('parseCsv on files as users have them', () => {
  it('names the channels from the `# thrum record` line and says so in "columns used"', () => {
    const text = `${formatRecordHeader({ sampleRate: 3200, names: ['x', 'y', 'z'] })}\n1,2,3\n4,5,6\n`;
    const r = parseCsv(text, 'sim.csv');
    expect(r.names).toEqual(['x', 'y', 'z']);
    expect(r.sampleRate).toBe(3200);
    expect(r.notes.join(' ')).toMatch(/columns used: x, y, z/);
  });

  it('picks a bundle channel by the record line name, without a header line', () => {
    const text = `${formatRecordHeader({ sampleRate: 100, names: ['x', 'y', 'z'] })}\n1,2,3\n4,5,6\n`;
    const r = parseCsv(text, 'sim.csv', { columns: ['z'] });
    expect(Array.from(r.samples)).toEqual([3, 6]);
    expect(r.names).toEqual(['z']);
  });

  it("reads a pandas numeric header (',0,1,2') as a header and skips the unnamed index column", () => {
    const r = parseCsv(',0,1,2\n0,1.5,2.5,3.5\n1,4,5,6\n2,7,8,9\n', 'p.csv', { sampleRate: 10 });
    expect(r.channels).toBe(3);
    expect(r.names).toEqual(['0', '1', '2']);
    expect(Array.from(r.samples)).toEqual([1.5, 2.5, 3.5, 4, 5, 6, 7, 8, 9]);
    expect(r.notes.join(' ')).toMatch(/unnamed index column/);
  });

  it('reads the IMS layout: index column, YYYY.MM.DD.hh.mm.ss stamps, 10-minute rate', () => {
    const text = [
      ',Datetime,Bearing 1,Bearing 2',
      '0,2004.03.04.09.27.46,0.058,0.071',
      '1,2004.03.04.09.37.46,0.059,0.072',
      '2,2004.03.04.09.47.46,0.060,0.073',
      '3,2004.03.04.10.07.46,0.061,0.074',
    ].join('\n');
    const r = parseCsv(text, 'ims.csv');
    expect(r.names).toEqual(['Bearing 1', 'Bearing 2']);
    expect(r.sampleRate).toBeCloseTo(1 / 600, 12);
    expect(Array.from(r.samples)).toHaveLength(8);
  });

  it('resolves the bundle channels by position in a headerless file', () => {
    const r = parseCsv('1,2,3\n4,5,6\n', 'raw.csv', { sampleRate: 100, channelNames: ['x', 'y', 'z'] });
    expect(r.names).toEqual(['x', 'y', 'z']);
    expect(Array.from(r.samples)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('resolves the bundle channels by name where the file has a header', () => {
    const r = parseCsv('z,y,x\n3,2,1\n6,5,4\n', 'h.csv', { sampleRate: 100, channelNames: ['x', 'y', 'z'] });
    expect(Array.from(r.samples)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('parseTimestamp', () => {
  it('reads year-first numeric stamps, to the millisecond', () => {
    expect(parseTimestamp('2004.02.12.10.32.39')).toBe(Date.UTC(2004, 1, 12, 10, 32, 39));
    expect(parseTimestamp('2004/02/12 10:32:39')).toBe(Date.UTC(2004, 1, 12, 10, 32, 39));
    expect(parseTimestamp('2004-02-12_10-32-39.25')).toBe(Date.UTC(2004, 1, 12, 10, 32, 39, 250));
  });

  it('still reads what Date.parse reads, and refuses plain numbers and impossible dates', () => {
    expect(parseTimestamp('2020-03-09T10:14:33Z')).toBe(Date.UTC(2020, 2, 9, 10, 14, 33));
    expect(parseTimestamp('12')).toBeUndefined();
    expect(parseTimestamp('0.5')).toBeUndefined();
    expect(parseTimestamp('2004.13.12.10.32.39')).toBeUndefined();
    expect(parseTimestamp('pump')).toBeUndefined();
  });
});
