import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { formatRecordHeader } from '../../../shared/record-format.js';
import { syntheticVibration } from '../../fixtures/synthetic-vibration.js';

const root = resolve(import.meta.dirname, '../../..');
const skab = resolve(root, '../shared/datasets/skab/data/valve1/0.csv');
const dir = mkdtempSync(join(tmpdir(), 'thrum-cli-train-'));

async function thrum(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [join(root, 'bin/thrum.js'), ...args],
      { cwd: root },
    );
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('thrum train', () => {
  it('exits 2 with one line naming a missing data file', async () => {
    const r = await thrum('train', '--data', join(dir, 'missing.csv'), '--out', join(dir, 'b0'));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `thrum: cannot read data file ${join(dir, 'missing.csv')}: no such file; check the --data path`,
    ]);
  });

  it('exits 2 naming file and line of a ragged row', async () => {
    const bad = join(dir, 'ragged.csv');
    writeFileSync(bad, 'x,y\n1,2\n3,4\n5\n');
    const r = await thrum('train', '--data', bad, '--sample-rate', '100', '--out', join(dir, 'b1'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`thrum: ${bad}:4: ragged row`);
  });

  it('exits 2 on a bad flag value, naming the flag', async () => {
    const r = await thrum('train', '--data', 'x.csv', '--out', join(dir, 'b2'), '--target-far', '2');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--target-far must be a fraction/);
  });

  it('exits 2 before training when --out cannot be a directory', async () => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, '');
    const r = await thrum('train', '--data', 'x.csv', '--out', join(file, 'bundle'));
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `thrum: --out ${join(file, 'bundle')}: cannot write the bundle there (${file} is a file); choose another path`,
    );
  });

  it('trains a bundle from a `thrum record` file', async () => {
    const samples = syntheticVibration({ seconds: 20, sampleRate: 800 });
    const rows = Array.from({ length: samples.length / 3 }, (_, i) =>
      Array.from(samples.subarray(i * 3, i * 3 + 3)).join(','),
    );
    const file = join(dir, 'rec.csv');
    writeFileSync(
      file,
      `${formatRecordHeader({ sampleRate: 800, names: ['x', 'y', 'z'] })}\n${rows.join('\n')}\n`,
    );
    const out = join(dir, 'rec-bundle');
    const r = await thrum(
      'train',
      '--data',
      file,
      '--out',
      out,
      '--window',
      '64',
      '--epochs',
      '3',
      '--no-report',
      '--json',
    );
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.data.channelNames).toEqual(['x', 'y', 'z']);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.sampleRate).toBe(800);
    expect(manifest.features.kinds).toEqual(['spectrum']);
    expect(existsSync(join(out, 'report.html'))).toBe(false);
  }, 30_000);

  it.skipIf(!existsSync(skab))(
    'trains on a real SKAB file with --columns',
    async () => {
      const out = join(dir, 'skab');
      const r = await thrum(
        'train',
        '--data',
        skab,
        '--columns',
        'Accelerometer1RMS,Accelerometer2RMS,Current,Temperature',
        '--features',
        'raw,stats',
        '--epochs',
        '5',
        '--out',
        out,
      );
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/columns used: Accelerometer1RMS, Accelerometer2RMS, Current, Temperature/);
      expect(r.stdout).toMatch(/thresholds {2}fp32 [\d.]+ \((tail fit|conservative)\), int8 [\d.]+/);
      expect(r.stdout).toMatch(/false alarm int8 .* flagged normal windows\/day .* alerts\/day at most 1\/3/);
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
      expect(manifest.channelNames).toEqual([
        'Accelerometer1RMS',
        'Accelerometer2RMS',
        'Current',
        'Temperature',
      ]);
      expect(manifest.features).toMatchObject({ window: 16, hop: 1, sampleRate: 1, kinds: ['raw', 'stats'] });
      expect(existsSync(join(out, 'report.html'))).toBe(true);
    },
    30_000,
  );
});
