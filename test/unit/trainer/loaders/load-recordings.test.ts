import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ThrumError } from '../../../../shared/errors.js';
import { formatOf, loadRecording, loadRecordings } from '../../../../trainer/loaders/load-recordings.js';

const dir = mkdtempSync(join(tmpdir(), 'thrum-loaders-'));
const datasets = resolve(import.meta.dirname, '../../../../../shared/datasets');
const skab = join(datasets, 'skab/data/valve1/0.csv');
const cwru = join(datasets, 'cwru/48k_DE_0hp/097_Normal_0hp_48k.DE.f32');

function f32File(name: string, values: number[]): string {
  const path = join(dir, name);
  writeFileSync(path, Buffer.from(new Float32Array(values).buffer));
  return path;
}

function errorOf(fn: () => unknown): ThrumError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ThrumError);
    return e as ThrumError;
  }
  throw new Error('expected a ThrumError');
}

describe('loadRecording', () => {
  it('infers the format from the extension', () => {
    expect(formatOf('a.f32')).toBe('f32');
    expect(formatOf('a.CSV')).toBe('csv');
    expect(formatOf('a.f32', 'csv')).toBe('csv');
  });

  it('reads little-endian float32 with interleaved channels', () => {
    const r = loadRecording(f32File('two.f32', [1, -2, 3.5, 4]), { channels: 2, sampleRate: 8000 });
    expect(r.channels).toBe(2);
    expect(r.sampleRate).toBe(8000);
    expect(Array.from(r.samples)).toEqual([1, -2, 3.5, 4]);
    expect(r.names).toEqual(['ch0', 'ch1']);
  });

  it('rejects f32 whose size does not fit the channel count, and NaN samples with their position', () => {
    const odd = f32File('odd.f32', [1, 2, 3]);
    expect(errorOf(() => loadRecording(odd, { channels: 2, sampleRate: 1 })).message).toMatch(
      /odd\.f32: 12 bytes .*--channels/,
    );
    const nan = f32File('nan.f32', [1, 2, Number.NaN, 4]);
    const e = errorOf(() => loadRecording(nan, { channels: 2, sampleRate: 1 }));
    expect(e.code).toBe('BAD_DATA');
    expect(e.message).toMatch(/nan\.f32: sample 1 channel 0 \(byte 8\) is NaN/);
  });

  it('asks for --channels and --sample-rate for f32', () => {
    const e = errorOf(() => loadRecording(f32File('x.f32', [1]), {}));
    expect(e.code).toBe('BAD_USAGE');
    expect(e.message).toMatch(/--channels N and --sample-rate HZ/);
  });

  it('says why a file cannot be read', () => {
    const missing = errorOf(() => loadRecording(join(dir, 'nope.csv')));
    expect(missing.code).toBe('BAD_DATA');
    expect(missing.exitCode).toBe(2);
    expect(missing.message).toMatch(/cannot read data file .*nope\.csv: no such file/);
    expect(errorOf(() => loadRecording(dir)).message).toMatch(/it is a directory/);
  });

  it('refuses recordings that disagree on channels or sample rate', () => {
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    writeFileSync(a, 'x,y\n1,2\n');
    writeFileSync(b, 'x,z\n1,2\n');
    expect(errorOf(() => loadRecordings([a, b], { sampleRate: 10 })).message).toMatch(
      /b\.csv: channels x,z differ/,
    );
    const samples = new Float32Array(4);
    const mixed = [
      { samples, channels: 1, sampleRate: 10 },
      { samples, channels: 1, sampleRate: 20 },
    ];
    expect(errorOf(() => loadRecordings(mixed)).message).toMatch(/memory\[1\]: sample rate 20 Hz differs/);
  });

  it('rejects NaN in in-memory data and duplicate channel names', () => {
    const bad = { samples: new Float32Array([1, Number.NaN]), channels: 1, sampleRate: 1 };
    expect(errorOf(() => loadRecordings([bad])).message).toMatch(/memory\[0\]: value 1 is NaN/);
    const dup = { samples: new Float32Array(4), channels: 2, sampleRate: 1, names: ['a', 'a'] };
    expect(errorOf(() => loadRecordings([dup])).message).toMatch(/'a' appears twice/);
  });

  it.skipIf(!existsSync(skab))('reads a real SKAB file: 8 sensor columns at 1 Hz', () => {
    const r = loadRecording(skab);
    expect(r.channels).toBe(8);
    expect(r.names[0]).toBe('Accelerometer1RMS');
    expect(r.samples.length / r.channels).toBe(1147);
    expect(r.sampleRate).toBeCloseTo(1, 6);
    const picked = loadRecording(skab, { columns: ['Current', 'Pressure'] });
    expect(picked.names).toEqual(['Current', 'Pressure']);
    expect(picked.samples[0]).toBeCloseTo(1.3302, 4);
  });

  it.skipIf(!existsSync(cwru))('reads a real CWRU record: 243,938 samples', () => {
    const r = loadRecording(cwru, { channels: 1, sampleRate: 48000 });
    expect(r.samples.length).toBe(243938);
  });
});
