// `thrum bench --quick` end to end: it runs, exits 0 and writes JSON + markdown with every section filled in.
// The figures themselves are not judged here (speed lives in the benchmark, not in tests); only that each is
// present and a real measurement (finite, positive where a cost or a rate is meant).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BenchResults } from '../../../bench/results.js';
import { exited } from '../../../scripts/process/child-exit.js';
import { spawnTracked } from '../../../scripts/process/spawn-tracked.js';
import { describeWithMosquitto } from '../../helpers/mosquitto.js';

const REPO = resolve(import.meta.dirname, '../../..');

describeWithMosquitto('thrum bench --quick', () => {
  const dir = mkdtempSync(join(tmpdir(), 'thrum-bench-test-'));
  const jsonPath = join(dir, 'out', 'bench.json');
  let code: number | null = null;
  let stderr = '';
  let stdout = '';
  let results: BenchResults;

  beforeAll(async () => {
    const child = spawnTracked(
      process.execPath,
      [join(REPO, 'bin/thrum.js'), 'bench', '--quick', '--json', jsonPath],
      {
        cwd: REPO,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    code = await exited(child);
    if (existsSync(jsonPath)) results = JSON.parse(readFileSync(jsonPath, 'utf8')) as BenchResults;
  }, 150_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 and writes the JSON and the markdown next to it', () => {
    expect(code, stderr.slice(-3000)).toBe(0);
    expect(results.schema).toBe('thrum-bench/1');
    expect(results.mode).toBe('quick');
    const md = readFileSync(join(dir, 'out', 'bench.md'), 'utf8');
    for (const heading of [
      '## Targets',
      '## 1. Inference',
      '## 2. Features',
      '## 3. Decode',
      '## 4. Whole pipeline',
      '## 5. Alert latency',
      '## 6. Daemon memory',
    ]) {
      expect(md).toContain(heading);
    }
    expect(stdout).toContain('## Targets');
  });

  it('describes the machine and the model', () => {
    const m = results.machine;
    expect(m.cpu.length).toBeGreaterThan(0);
    expect(m.cores).toBeGreaterThan(0);
    expect(m.node).toBe(process.version);
    expect(m.onnxruntime).toMatch(/^\d+\.\d+/);
    expect(m.tfjs).toMatch(/^\d+\.\d+/);
    expect(Number.isNaN(Date.parse(m.date))).toBe(false);
    expect(m.commit).toMatch(/^([0-9a-f]{40}(-dirty)?|unknown)$/);
    expect(results.bundle.inputs).toBe(96);
    expect(results.bundle.channels).toBe(3);
  });

  it('has every section, none skipped', () => {
    for (const section of ['inference', 'features', 'decode', 'pipeline', 'latency', 'memory'] as const) {
      expect(
        results[section],
        `${section}: ${JSON.stringify(results[section]).slice(0, 300)}`,
      ).not.toHaveProperty('skipped');
    }
  });

  it('inference: int8, fp32 and tfjs at batch 1, 8, 64 and 256 on the same weights', () => {
    if (!('rows' in results.inference)) throw new Error('inference missing');
    expect(results.inference.rows.map((r) => r.batch)).toEqual([1, 8, 64, 256]);
    for (const r of results.inference.rows) {
      for (const v of [r.int8.median, r.fp32.median, r.tfjs.median, r.fp32OverInt8, r.tfjsOverInt8])
        expect(v).toBeGreaterThan(0);
      expect(r.int8.runs.length).toBeGreaterThanOrEqual(3);
    }
    expect(results.inference.fp32VsTfjsMaxAbsDiff).toBeLessThan(1e-3);
  });

  it('features and FFT: every kind at window 256..4096', () => {
    if (!('rows' in results.features)) throw new Error('features missing');
    const windows = [...new Set(results.features.rows.map((r) => r.window))];
    expect(windows).toEqual([256, 512, 1024, 2048, 4096]);
    expect(new Set(results.features.rows.map((r) => r.kind))).toEqual(
      new Set(['raw', 'stats', 'spectrum', 'spectrum+stats']),
    );
    for (const r of results.features.rows) expect(r.usPerWindow.median).toBeGreaterThan(0);
    expect(results.features.fft.map((r) => r.size)).toEqual(windows);
  });

  it('decode and pipeline: csv and frames, nothing dropped', () => {
    if (!('rows' in results.decode) || !('rows' in results.pipeline))
      throw new Error('decode or pipeline missing');
    expect(results.decode.rows.map((r) => r.format).sort()).toEqual(['csv', 'frames']);
    for (const r of results.decode.rows) expect(r.samplesPerSec.median).toBeGreaterThan(0);
    expect(results.pipeline.rows.map((r) => r.format).sort()).toEqual(['csv', 'frames']);
    for (const r of results.pipeline.rows) {
      expect(r.samplesPerSec).toBeGreaterThan(0);
      expect(r.samplesPerCpuSec).toBeGreaterThan(0);
      expect(r.dropped).toBe(0);
      expect(r.windows).toBe(Math.floor((r.samples - 1024) / 512) + 1);
      expect(Object.keys(r.realtimeFactor).sort()).toEqual(['25600', '3200']);
    }
  });

  it('latency: alerts timed to their PUBACK, at the default batching delay and at 0', () => {
    if (!('runs' in results.latency)) throw new Error('latency missing');
    expect(results.latency.runs.some((r) => r.isDefault)).toBe(true);
    expect(results.latency.runs.some((r) => r.maxDelayMs === 0)).toBe(true);
    for (const r of results.latency.runs) {
      expect(r.alerts).toBeGreaterThan(10);
      expect(r.p50Ms).toBeGreaterThan(0);
      expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms);
      expect(r.maxMs).toBeGreaterThanOrEqual(r.p99Ms);
    }
  });

  it('memory: the daemon ran to the end of its input with RSS samples', () => {
    if (!('runs' in results.memory)) throw new Error('memory missing');
    expect(results.memory.runs.length).toBeGreaterThanOrEqual(1);
    for (const r of results.memory.runs) {
      expect(r.exitCode).toBe(0);
      expect(r.warmRssMiB).toBeGreaterThan(0);
      expect(r.endRssMiB).toBeGreaterThan(0);
      expect(r.samples.length).toBeGreaterThan(3);
      expect(r.alerts).toBeGreaterThan(0);
    }
  });

  it('judges every target of the issue', () => {
    const names = results.targets.map((t) => t.name).join('\n');
    for (const what of [
      'pipeline frames',
      'pipeline csv',
      'int8 vs fp32',
      'int8 vs tfjs',
      'alert latency p99',
      'daemon RSS',
    ]) {
      expect(names).toContain(what);
    }
    for (const t of results.targets) expect(typeof t.met).toBe('boolean');
  });
});
