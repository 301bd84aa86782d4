import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { onExit } from '../scripts/process/cleanup.js';
import { spawnTracked } from '../scripts/process/spawn-tracked.js';
import { BENCH_SAMPLE_RATE, type BenchBundle } from './bench-bundle.js';
import type { JavaScriptTree } from './javascript-tree.js';
import { rssMiB } from './rss.js';
import { frameSchedule, paceFrames } from './sensor-stream.js';
import { slope } from './stats.js';

const FAULT_EVERY_S = 25;
const FAULT_FOR_S = 5;

export interface MemoryTuning {
  /** For the results, e.g. `defaults`. */
  label: string;
  nodeFlags: string[];
  env: Record<string, string>;
}

export const MEMORY_TUNINGS: MemoryTuning[] = [
  { label: 'defaults', nodeFlags: [], env: {} },
  {
    label: 'node --max-semi-space-size=1, MALLOC_ARENA_MAX=2',
    nodeFlags: ['--max-semi-space-size=1'],
    env: { MALLOC_ARENA_MAX: '2' },
  },
];

export interface MemoryResult {
  /** Node flags and environment the daemon ran with. */
  settings: string;
  /** How the daemon ran (compiled JavaScript or tsx) and was fed. */
  command: string;
  /** Stream seconds replayed for warm-up, then measured. */
  warmupDataSeconds: number;
  dataSeconds: number;
  /** Times real time the stream was replayed at, and the wall time it took. */
  speedup: number;
  wallSeconds: number;
  warmRssMiB: number;
  endRssMiB: number;
  maxRssMiB: number;
  /** end - warm. */
  growthMiB: number;
  /** Least-squares slope of RSS over the measured replay, MiB per 10 minutes of data. */
  slopeMiBPer10MinData: number;
  /** RSS samples over the measured replay: [data seconds, MiB]. */
  samples: [number, number][];
  alerts: number;
  exitCode: number | null;
}

/**
 * The daemon as deployed (`thrum run --config`, a separate process, real outbox and broker) fed 3.2 kHz frames
 * on stdin faster than real time: `warmupSeconds` of data, then `dataSeconds` while its RSS is sampled. A
 * fault every 25 s of data (5 s long) makes it raise, commit, publish and clear alerts along the way.
 */
export async function benchMemory(
  bundle: BenchBundle,
  brokerUrl: string,
  tree: JavaScriptTree,
  tuning: MemoryTuning,
  o: { warmupSeconds: number; dataSeconds: number; speedup: number },
): Promise<MemoryResult> {
  const dir = mkdtempSync(join(tmpdir(), 'thrum-bench-memory-'));
  const configFile = join(dir, 'thrum.yaml');
  writeFileSync(
    configFile,
    stringify({
      device: { id: 'bench-memory' },
      serial: { source: 'stdin', format: 'frames', channels: 3, sampleRate: BENCH_SAMPLE_RATE },
      model: { bundle: bundle.dir, variant: 'int8' },
      mqtt: { url: brokerUrl, clientId: `thrum-bench-memory-${process.pid}` },
      outbox: { path: join(dir, 'outbox.db') },
      log: { level: 'info' },
    }),
  );
  const total = o.warmupSeconds + o.dataSeconds;
  const frames = frameSchedule({
    sensors: 1,
    seconds: total,
    staggerMs: 0,
    anomalous: (start) => (start / BENCH_SAMPLE_RATE) % FAULT_EVERY_S >= FAULT_EVERY_S - FAULT_FOR_S,
    seed: 31,
  });
  const child = spawnTracked(
    process.execPath,
    [...tuning.nodeFlags, ...tree.entry('cli/main'), 'run', '--config', configFile],
    {
      cwd: dir,
      env: { ...process.env, ...tuning.env },
      stdio: ['pipe', 'pipe', 'pipe', 'ipc'],
    },
  );
  const forget = onExit(() => rmSync(dir, { recursive: true, force: true }));
  let stderr = '';
  let alerts = 0;
  let partial = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  child.stdout?.on('data', (d: Buffer) => {
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.includes('"event":"alert.committed"')) alerts++;
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    const ready = new Promise<void>((r) => child.once('message', (m) => m === 'ready' && r()));
    const failed = exited.then((code) => {
      throw new Error(`thrum run exited (${code}) before it was ready: ${stderr.trim()}`);
    });
    await Promise.race([ready, failed]);
    const stdin = child.stdin!;
    const warmupFrames = frames.findIndex((f) => f.dueMs > o.warmupSeconds * 1000);
    const write = (f: { bytes: Uint8Array }) => void stdin.write(f.bytes);
    const wallStart = performance.now();
    await paceFrames(frames.slice(0, warmupFrames), o.speedup, write);
    const warmRssMiB = rssMiB(child.pid!);
    const samples: [number, number][] = [];
    const sampler = setInterval(() => {
      const dataSeconds = ((performance.now() - measuredFrom) * o.speedup) / 1000;
      samples.push([Math.round(dataSeconds * 10) / 10, round1(rssMiB(child.pid!))]);
    }, 250);
    const measuredFrom = performance.now();
    await paceFrames(
      frames.slice(warmupFrames).map((f) => ({ ...f, dueMs: f.dueMs - o.warmupSeconds * 1000 })),
      o.speedup,
      write,
    );
    clearInterval(sampler);
    const endRssMiB = rssMiB(child.pid!);
    const wallSeconds = (performance.now() - wallStart) / 1000;
    stdin.end();
    let timer: NodeJS.Timeout | undefined;
    const exitCode = await Promise.race([
      exited,
      new Promise<null>((r) => (timer = setTimeout(() => r(null), 15_000))),
    ]);
    clearTimeout(timer);
    const all = [warmRssMiB, ...samples.map((s) => s[1]), endRssMiB];
    return {
      settings: tuning.label,
      command: `thrum run (${tree.label}); frames on stdin`,
      warmupDataSeconds: o.warmupSeconds,
      dataSeconds: o.dataSeconds,
      speedup: o.speedup,
      wallSeconds,
      warmRssMiB: round1(warmRssMiB),
      endRssMiB: round1(endRssMiB),
      maxRssMiB: round1(Math.max(...all)),
      growthMiB: round1(endRssMiB - warmRssMiB),
      slopeMiBPer10MinData: round1(
        slope(
          samples.map((s) => s[0]),
          samples.map((s) => s[1]),
        ) * 600,
      ),
      samples,
      alerts,
      exitCode,
    };
  } finally {
    forget();
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

const round1 = (x: number) => Math.round(x * 10) / 10;
