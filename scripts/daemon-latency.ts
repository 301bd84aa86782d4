// Measures the device daemon end to end on this machine:
//  1. alert latency: from the arrival of a window's last sample (the serial read that completed it) to the
//     broker's PUBACK of the alert it raised, over >= 1000 alerts; the real daemon pieces (pty source,
//     ONNX Runtime int8, SQLite outbox with synchronous=FULL, mosquitto over MQTT 5), in this process so the
//     PUBACK time is read exactly;
//  2. resident memory of the real daemon process (`node bin/thrum.js run`) fed at the real sample rate.
// The detector is set to fire on single windows (k=1, n=1, no hysteresis, no cooldown) and the signal
// alternates 64 healthy / 64 faulty samples, so about every other window is an alert.
//
//   npx tsx scripts/daemon-latency.ts [--alerts 1000] [--speedup 2] [--rss-seconds 60] [--max-delay-ms 20]
//                                     [--json result.json]
import type { ChildProcess } from 'node:child_process';
import {
  closeSync,
  constants,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { systemClock } from '../device/clock.js';
import { loadConfig } from '../device/config/load-config.js';
import { buildDaemon } from '../device/daemon/build.js';
import { createLogger } from '../device/logger.js';
import type { AlertBody } from '../device/publisher/payloads.js';
import { encodeCsv } from '../shared/protocol/index.js';
import { makeBundle, syntheticVibration } from '../test/fixtures/make-bundle.js';
import { startMosquitto } from './bench/broker.js';
import { quantile } from './bench/stats.js';
import { Children } from './demo/children.js';
import { findSocat, startPtyPair } from './demo/socat-pty.js';

const ROOT = resolve(import.meta.dirname, '..');
const RATE = 800;
const CHANNELS = 3;

const { values: args } = parseArgs({
  options: {
    alerts: { type: 'string', default: '1000' },
    speedup: { type: 'string', default: '2' },
    'rss-seconds': { type: 'string', default: '60' },
    'max-delay-ms': { type: 'string', default: '20' },
    json: { type: 'string' },
  },
});
const wantAlerts = Number(args.alerts);
const speedup = Number(args.speedup);
const rssSeconds = Number(args['rss-seconds']);

/** 64 healthy samples, then the same 64 four times as strong, and again: a window in two is anomalous. */
function alternating(seconds: number, seed: number): Float32Array {
  const healthy = syntheticVibration({ seconds, seed, sampleRate: RATE });
  const block = 64 * CHANNELS;
  for (let at = block; at < healthy.length; at += 2 * block) {
    for (let i = at; i < Math.min(at + block, healthy.length); i++) healthy[i]! *= 4;
  }
  return healthy;
}

/** Writes CSV into the sensor end of the pty at `speed` x real time, 40 ms per write, until `stop()`. */
function feed(path: string, speed: number): { stop(): void; done: Promise<void> } {
  const fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  let stopped = false;
  const done = (async () => {
    const chunk = Math.round(0.04 * RATE) * CHANNELS;
    let seed = 1;
    const start = performance.now();
    let written = 0;
    while (!stopped) {
      const data = alternating(10, seed++);
      for (let i = 0; i < data.length && !stopped; i += chunk) {
        const bytes = Buffer.from(encodeCsv(data.subarray(i, i + chunk), CHANNELS));
        for (let off = 0; off < bytes.length && !stopped; ) {
          try {
            off += writeSync(fd, bytes, off);
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
            await sleep(2);
          }
        }
        written += chunk / CHANNELS;
        const due = start + (written / RATE / speed) * 1000;
        await sleep(Math.max(0, due - performance.now()));
      }
    }
    closeSync(fd);
  })();
  return { stop: () => (stopped = true), done };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function writeConfig(
  dir: string,
  bundle: string,
  serialPath: string,
  brokerUrl: string,
  outbox: string,
): string {
  const file = join(dir, `thrum-${outbox}.yaml`);
  writeFileSync(
    file,
    stringify({
      device: { id: 'bench' },
      serial: { path: serialPath, format: 'csv', channels: CHANNELS, sampleRate: RATE, sensorId: 1 },
      model: { bundle, variant: 'int8' },
      detector: { k: 1, n: 1, clearRatio: 1, minClearWindows: 1, cooldownWindows: 0 },
      mqtt: { url: brokerUrl, protocolVersion: 5 },
      outbox: { path: join(dir, `${outbox}.db`), replayRatePerSec: 10_000 },
      inference: { maxBatch: 64, maxDelayMs: Number(args['max-delay-ms']) },
      log: { level: 'warn' },
      health: { intervalMs: 5000 },
    }),
  );
  return file;
}

function procStatus(pid: number): { rssMB: number; hwmMB: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(text)?.[1] ?? Number.NaN);
  return { rssMB: kb('VmRSS') / 1024, hwmMB: kb('VmHWM') / 1024 };
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

async function main(): Promise<void> {
  const socat = findSocat();
  if (!socat) throw new Error('socat is needed (apt-get install socat)');
  const dir = mkdtempSync(join(tmpdir(), 'thrum-latency-'));
  const children = new Children();
  process.on('exit', () => children.killAllNow());
  const broker = await startMosquitto();
  try {
    process.stderr.write('training a tiny bundle...\n');
    const bundle = (await makeBundle({ dir: join(dir, 'bundle') })).dir;
    const pty = await startPtyPair(socat, dir, children);

    // 1. Latency, in process.
    const config = loadConfig(writeConfig(dir, bundle, pty.device, broker.url, 'latency'));
    const latencies: number[] = [];
    let reached: () => void = () => {};
    const enough = new Promise<void>((r) => (reached = r));
    const daemon = await buildDaemon(config, createLogger('warn'), systemClock, {
      onAcked: (entry, ackedAt) => {
        if (entry.kind !== 'alert') return;
        latencies.push(ackedAt - Date.parse((entry.body as AlertBody).windowEnd));
        if (latencies.length >= wantAlerts) reached();
      },
    });
    daemon.start();
    await sleep(500);
    process.stderr.write(`feeding at ${speedup}x real time until ${wantAlerts} alerts are acked...\n`);
    const started = Date.now();
    const writer = feed(pty.sensor, speedup);
    await enough;
    writer.stop();
    await writer.done;
    await daemon.stop('benchmark done');
    const seconds = (Date.now() - started) / 1000;

    // 2. RSS of the real daemon process at the real sample rate.
    process.stderr.write(`running node bin/thrum.js run for ${rssSeconds} s at the real rate...\n`);
    const child: ChildProcess = children.spawn(
      process.execPath,
      [
        join(ROOT, 'bin/thrum.js'),
        'run',
        '--config',
        writeConfig(dir, bundle, pty.device, broker.url, 'rss'),
      ],
      { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
    );
    await new Promise<void>((r, j) => {
      child.once('message', () => r());
      child.once('exit', (c) => j(new Error(`daemon exited with ${c} before ready`)));
    });
    const rssWriter = feed(pty.sensor, 1);
    const samples: number[] = [];
    for (let s = 0; s < rssSeconds; s++) {
      await sleep(1000);
      samples.push(procStatus(child.pid!).rssMB);
    }
    const { hwmMB } = procStatus(child.pid!);
    rssWriter.stop();
    await rssWriter.done;
    await children.stopAll();

    const result = {
      alerts: latencies.length,
      feedSeconds: round(seconds, 1),
      speedup,
      maxDelayMs: Number(args['max-delay-ms']),
      latencyMs: {
        p50: round(quantile(latencies, 0.5)),
        p90: round(quantile(latencies, 0.9)),
        p99: round(quantile(latencies, 0.99)),
        max: round(Math.max(...latencies)),
      },
      daemonRssMB: {
        afterWarmup: round(samples[Math.min(samples.length - 1, 4)]!, 1),
        end: round(samples.at(-1)!, 1),
        peak: round(hwmMB, 1),
        seconds: rssSeconds,
      },
      node: process.version,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    if (args.json) writeFileSync(args.json, `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await children.stopAll();
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
