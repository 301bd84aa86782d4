import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { findDataset } from '../../../eval/datasets-dir.js';
import { FIXTURE_SAMPLE_RATE, makeBundle, syntheticVibration } from '../../fixtures/make-bundle.js';

const root = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'thrum-cli-eval-'));

async function thrum(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [join(root, 'bin/thrum.js'), ...args],
      { cwd: root, maxBuffer: 64 * 1024 * 1024 },
    );
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('thrum eval --bundle', () => {
  let bundle: string;
  const csv = join(dir, 'run.csv');
  const f32 = join(dir, 'fault.f32');
  // 20 s of healthy vibration, then 10 s with 4x stronger vibration, labelled per row.
  const seconds = 30;
  const faultFrom = 20;

  beforeAll(async () => {
    bundle = (await makeBundle({ dir: join(dir, 'bundle') })).dir;
    const samples = syntheticVibration({ seconds, fault: 'gain', faultFrom, seed: 11 });
    const rows = samples.length / 3;
    const lines = ['x,y,z,anomaly'];
    for (let i = 0; i < rows; i++) {
      const label = i >= faultFrom * FIXTURE_SAMPLE_RATE ? 1 : 0;
      lines.push(`${samples[i * 3]},${samples[i * 3 + 1]},${samples[i * 3 + 2]},${label}`);
    }
    writeFileSync(csv, `${lines.join('\n')}\n`);
    writeFileSync(f32, Buffer.from(syntheticVibration({ seconds: 5, fault: 'gain', seed: 12 }).buffer));
  }, 60_000);

  it('scores a labelled CSV through the device path and prints the counts and metrics as JSON', async () => {
    const r = await thrum('eval', '--bundle', bundle, '--data', csv, '--labels', 'anomaly', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const rows = seconds * FIXTURE_SAMPLE_RATE;
    expect(report.windows).toBe(Math.floor((rows - 64) / 32) + 1); // window 64, hop 32
    expect(report.variant).toBe('int8');
    expect(report.flagged).toBeGreaterThan(0);
    expect(report.alerts).toBeGreaterThanOrEqual(1);
    // The 4x fault is unmistakable: the detector catches most of it and stays quiet before it.
    expect(report.point.detector.mar).toBeLessThan(20);
    expect(report.point.detector.far).toBeLessThan(5);
    expect(report.window.rocAuc).toBeGreaterThan(0.95);
    const first = report.events.find((e: { kind: string }) => e.kind === 'raised');
    expect(first.endRow).toBeGreaterThanOrEqual(faultFrom * FIXTURE_SAMPLE_RATE);
  });

  it('prints a readable report with window- and point-level lines', async () => {
    const r = await thrum(
      'eval',
      '--bundle',
      bundle,
      '--data',
      csv,
      '--labels',
      'anomaly',
      '--variant',
      'fp32',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/fp32, threshold/);
    expect(r.stdout).toMatch(/^window\s+\d\.\d{4}/m);
    expect(r.stdout).toMatch(/^point\s+\d\.\d{4}/m);
    expect(r.stdout).toMatch(/alerts \(\d+\):/);
  });

  it('evaluates raw float32 with a whole-record label', async () => {
    const r = await thrum('eval', '--bundle', bundle, '--data', f32, '--label-all', '1', '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.files[0].rows).toBe(5 * FIXTURE_SAMPLE_RATE);
    expect(report.alerts).toBeGreaterThanOrEqual(1);
    expect(report.window.anomalous).toBe(report.windows);
  });

  it('exits 2 with one line for bad usage', async () => {
    const none = await thrum('eval', '--data', csv);
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toBe(
      'thrum: give --bundle DIR --data FILE... or --protocol skab (see thrum eval --help)',
    );
    const both = await thrum(
      'eval',
      '--bundle',
      bundle,
      '--data',
      csv,
      '--labels',
      'anomaly',
      '--label-all',
      '1',
    );
    expect(both.code).toBe(2);
    expect(both.stderr.trim()).toBe('thrum: give one of --labels, --label-file and --label-all, not several');
    const missing = await thrum('eval', '--bundle', join(dir, 'nope'), '--data', csv);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain(join(dir, 'nope'));
    const column = await thrum('eval', '--bundle', bundle, '--data', csv, '--labels', 'fault');
    expect(column.code).toBe(2);
    expect(column.stderr).toMatch(/no column 'fault'/);
  });
});

const skab = findDataset('skab');
describe.skipIf(!skab)('thrum eval --protocol skab (1 file)', () => {
  it('prints one JSON object with the leaderboard and writes the predictions', async () => {
    const predictions = join(dir, 'pred.csv');
    const r = await thrum(
      'eval',
      '--protocol',
      'skab',
      '--data',
      skab as string,
      '--files',
      'other/5.csv',
      '--predictions',
      predictions,
      '--json',
      '--quiet',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.files).toBe(1);
    expect(out.variants.int8.windows).toBeGreaterThan(0);
    expect(out.variants.int8).toHaveProperty('flagged');
    expect(out.variants.int8).toHaveProperty('alerts');
    expect(out.leaderboard.map((x: { algorithm: string }) => x.algorithm)).toContain('Conv-AE');
    const lines = readFileSync(predictions, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1 + out.testRows);
    expect(lines[1]).toBe(`other/5.csv,400,${lines[1].split(',')[2]}`);
  }, 60_000);

  it('applies detector flags to the shipped configuration and names the rule it used', async () => {
    const run = (...extra: string[]) =>
      thrum(
        'eval',
        '--protocol',
        'skab',
        '--data',
        skab as string,
        '--files',
        'other/5.csv',
        '--quiet',
        ...extra,
      );
    const shipped = await run();
    const changed = await run('--k', '5', '--n', '5', '--clear-peak-ratio', '0');
    expect(shipped.code).toBe(0);
    expect(changed.code).toBe(0);
    expect(shipped.stdout).toMatch(/raise on 3 of 5 windows/);
    expect(shipped.stdout).toMatch(/0\.01 x the episode's peak/);
    expect(changed.stdout).toMatch(/raise on 5 of 5 windows/);
    expect(changed.stdout).not.toMatch(/episode's peak/);
    const f1 = (out: string) => out.match(/^int8: F1 ([0-9.]+)/m)?.[1];
    expect(f1(changed.stdout)).not.toBe(f1(shipped.stdout));
  }, 60_000);
});
