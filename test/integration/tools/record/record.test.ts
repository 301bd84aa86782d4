import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSchedule, resolveSchedule } from '../../../../tools/sim/schedule.js';
import { VibrationSim } from '../../../../tools/sim/vibration-sim.js';
import { parseCsv } from '../../../../trainer/loaders/csv.js';
import { createPtyPair, describeWithSocat } from '../../../helpers/pty-pair.js';
import { REPO, spawnCli, THRUM } from './spawn-cli.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'thrum-record-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FS = 3200;
const SCHEDULE = 'imbalance@0.5s:0.7,bearing-outer@1s';

/** What `thrum sim --seed <seed> --schedule SCHEDULE` produces, computed in-process. */
function expected(seed: number, samples: number): Float32Array {
  const sim = new VibrationSim({
    sampleRate: FS,
    rpm: 1780,
    mains: 50,
    seed,
    faults: resolveSchedule(parseSchedule(SCHEDULE)),
  });
  const out = new Float32Array(samples * 3);
  sim.fill(out);
  return out;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

const sh = (command: string) =>
  run('bash', ['-o', 'pipefail', '-c', command], { cwd: REPO, maxBuffer: 1 << 26 });

describe('thrum sim | thrum record --port -', () => {
  it.each(['csv', 'frames'] as const)(
    '%s: the record file holds the simulated samples, readable by the trainer loader',
    async (format) => {
      const out = join(dir, `pipe-${format}.csv`);
      const { stderr } = await sh(
        `node ${THRUM} sim --fast --seconds 2 --seed 21 --schedule '${SCHEDULE}' --format ${format} --quiet | ` +
          `node ${THRUM} record --port - --format ${format} --out ${out}`,
      );
      expect(stderr).toMatch(/wrote 6400 samples × 3 channels \(2\.00 s at 3200 Hz\) to .*; 0 bad, 0 gaps/);
      const text = readFileSync(out, 'utf8');
      expect(text.split('\n').slice(0, 2)).toEqual([
        '# thrum record sampleRate=3200 channels=3 names=x,y,z',
        'x,y,z',
      ]);
      const recording = parseCsv(text, out);
      expect(recording).toMatchObject({ channels: 3, sampleRate: 3200, names: ['x', 'y', 'z'] });
      expect(recording.samples.length).toBe(6400 * 3);
      const reference = expected(21, 6400);
      if (format === 'csv') expect(recording.samples).toEqual(reference);
      // int16 frames: one count is the frame's peak / 32767 (peaks of about 2 g here).
      else expect(maxAbsDiff(recording.samples, reference)).toBeLessThan(1e-4);
    },
  );

  it('--seconds stops at exactly that many samples, though the sender goes on', async () => {
    const out = join(dir, 'pipe-cut.csv');
    await sh(
      `node ${THRUM} sim --fast --seconds 5 --seed 21 --schedule '${SCHEDULE}' --quiet | node ${THRUM} record --port - --seconds 1.5 --out ${out}`,
    );
    const recording = parseCsv(readFileSync(out, 'utf8'), out);
    expect(recording.samples).toEqual(expected(21, 4800));
  });

  it('refuses to overwrite a recording without --force, and says why nothing was recorded', async () => {
    const out = join(dir, 'pipe-cut.csv');
    await expect(sh(`echo 1,2,3 | node ${THRUM} record --port - --out ${out}`)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining(`--out ${out} already exists; pass --force to overwrite it`),
    });
    await expect(
      sh(
        `node ${THRUM} sim --fast --seconds 0.1 --format frames --quiet | node ${THRUM} record --port - --out ${join(dir, 'wrong.csv')}`,
      ),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/none decoded as csv .*check --format/),
    });
  });

  it('sim output is byte-identical for the same seed, and differs for another', async () => {
    const files = ['a', 'b', 'c'].map((n) => join(dir, `seed-${n}.bin`));
    const seeds = [5, 5, 6];
    await Promise.all(
      files.map((file, i) =>
        sh(
          `node ${THRUM} sim --fast --seconds 1 --seed ${seeds[i]} --schedule '${SCHEDULE}' --format frames --quiet --out ${file}`,
        ),
      ),
    );
    const [a, b, c] = files.map((f) => readFileSync(f));
    expect(a!.length).toBeGreaterThan(20_000);
    expect(Buffer.compare(a!, b!)).toBe(0);
    expect(Buffer.compare(a!, c!)).not.toBe(0);
  });
});

describeWithSocat('thrum sim --port <pty a> -> thrum record --port <pty b>', () => {
  it.each(['csv', 'frames'] as const)('%s at the real rate over a socat pty pair', async (format) => {
    const pair = await createPtyPair();
    const out = join(dir, `pty-${format}.csv`);
    const record = spawnCli([
      'record',
      '--port',
      pair.b,
      '--format',
      format,
      '--seconds',
      '1.5',
      '--out',
      out,
    ]);
    await record.waitForLine('stderr', /is open; waiting for data/);
    const sim = spawnCli([
      'sim',
      '--port',
      pair.a,
      '--format',
      format,
      '--seconds',
      '2',
      '--seed',
      '33',
      '--schedule',
      SCHEDULE,
    ]);
    expect(await record.exit()).toBe(0);
    expect(record.stderr.join('\n')).toMatch(
      /wrote 4800 samples × 3 channels .*; 0 bad, 0 gaps \(0 frames lost\)/,
    );
    // The live line: measured rate and the counters.
    expect(
      record.stderr.some((l) =>
        /^\d+\.\d Hz \| 4800\/4800 samples \(1\.5 s \/ 1\.5 s\) \| 0 bad \| 0 gaps$/.test(l),
      ),
    ).toBe(true);
    expect(await sim.exit()).toBe(0);
    const recording = parseCsv(readFileSync(out, 'utf8'), out);
    const reference = expected(33, 4800);
    if (format === 'csv') expect(recording.samples).toEqual(reference);
    else expect(maxAbsDiff(recording.samples, reference)).toBeLessThan(1e-4);
    await pair.close();
  });

  it('exits 2 naming the port when it cannot be opened, leaving no file', async () => {
    const out = join(dir, 'never.csv');
    const record = spawnCli(['record', '--port', join(dir, 'no-such-tty'), '--seconds', '1', '--out', out]);
    expect(await record.exit()).toBe(2);
    expect(record.stderr.at(-1)).toMatch(/^thrum: --port .*no-such-tty: cannot open/);
    expect(() => readFileSync(out)).toThrow(/ENOENT/);
  });
});
