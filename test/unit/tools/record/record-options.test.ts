import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRecordOptions, type RawRecordOptions } from '../../../../tools/record/record-options.js';

const dir = mkdtempSync(join(tmpdir(), 'thrum-record-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const base: RawRecordOptions = {
  port: '/dev/ttyUSB0',
  out: join(dir, 'new.csv'),
  format: 'csv',
  sampleRate: '3200',
  baud: '921600',
};
const parse = (over: Partial<RawRecordOptions>) => parseRecordOptions({ ...base, ...over });

describe('parseRecordOptions', () => {
  it('turns --seconds into a sample count at the sample rate; no --seconds means no limit', () => {
    expect(parse({ seconds: '1m', sampleRate: '800' }).maxSamples).toBe(48000);
    expect(parse({ seconds: '0.5' }).maxSamples).toBe(1600);
    expect(parse({}).maxSamples).toBe(Number.POSITIVE_INFINITY);
  });

  it('takes the channel count from --names when --channels is absent', () => {
    expect(parse({ names: 'a,b' })).toMatchObject({ names: ['a', 'b'], channels: 2 });
    expect(parse({ channels: '3' })).toMatchObject({ channels: 3, names: undefined });
  });

  it('protects an existing file unless --force', () => {
    const existing = join(dir, 'old.csv');
    writeFileSync(existing, 'x');
    expect(() => parse({ out: existing })).toThrow(/already exists; pass --force/);
    expect(parse({ out: existing, force: true }).force).toBe(true);
  });

  it.each([
    [{ port: undefined }, /--port is required/],
    [{ out: undefined }, /--out FILE is required/],
    [{ format: 'json' }, /--format 'json'/],
    [{ seconds: 'soon' }, /--seconds 'soon' is not a time/],
    [{ channels: '0' }, /--channels '0' must be a whole number from 1 to 255/],
    [{ names: 'x y,z' }, /--names 'x y,z'/],
    [{ names: 'a,b', channels: '3' }, /--names has 2 names for --channels 3/],
    [{ sampleRate: '-1' }, /--sample-rate '-1' must be a positive number/],
    [{ sensorId: '300' }, /--sensor-id '300'/],
  ] as const)('rejects %j', (over, message) => {
    expect(() => parse(over as Partial<RawRecordOptions>)).toThrow(message);
  });
});
