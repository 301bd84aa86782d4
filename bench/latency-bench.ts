import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { stringify } from 'yaml';
import { loadConfig } from '../device/config/load-config.js';
import { buildDaemon } from '../device/daemon/build.js';
import { createPorts } from '../device/daemon/real-ports.js';
import { onExit } from '../scripts/process/cleanup.js';
import { BENCH_HOP, BENCH_WINDOW } from './bench-bundle.js';
import { probeDaemon } from './daemon-probe.js';
import { FifoWriter } from './fifo-writer.js';
import { frameSchedule, paceFrames } from './sensor-stream.js';
import { quantile } from './stats.js';

export const LATENCY_SENSORS = 4;
const STAGGER_MS = 40;

export interface LatencyOptions {
  maxDelayMs: number;
  seconds: number;
  warmupSeconds: number;
  /** Where the daemon's JSON log goes; /dev/null by default. */
  logPath?: string;
}

export interface LatencyRun {
  /** inference.maxDelayMs of the daemon config. */
  maxDelayMs: number;
  sensors: number;
  /** Paced stream time, warm-up included. */
  seconds: number;
  warmupSeconds: number;
  windows: number;
  /** Alerts (raised and cleared) acknowledged after the warm-up and matched to their window's last frame. */
  alerts: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /**
   * Median and p99 of each leg, ms: `detect` = write -> outbox append starts (read, decode, windowing, features,
   * batching wait, ORT, detector); `commit` = the SQLite append; `handoff` = commit -> publish call (bounds check,
   * publisher wake-up); `broker` = publish -> PUBACK.
   */
  legs: Record<'detect' | 'commit' | 'handoff' | 'broker', { p50Ms: number; p99Ms: number }>;
}

/**
 * Last sample of a window -> PUBACK of the alert it decides, through the real daemon (createPorts + buildDaemon
 * from a thrum.yaml, run in this process): frames written at the real rate (3.2 kHz, 32-sample frames) into a
 * FIFO the daemon reads as its `file` source; int8 scoring; the SQLite outbox commit (synchronous=FULL);
 * QoS 1 publish to a local mosquitto. The detector is set to decide on every window (k=1, n=1, no cooldown)
 * and the signal alternates healthy and faulty blocks, so about two windows in three raise or clear.
 */
export async function benchLatency(
  bundleDir: string,
  brokerUrl: string,
  o: LatencyOptions,
): Promise<LatencyRun> {
  const dir = mkdtempSync(join(tmpdir(), 'thrum-bench-latency-'));
  const forget = onExit(() => rmSync(dir, { recursive: true, force: true }));
  const fifo = join(dir, 'sensor.fifo');
  if (spawnSync('mkfifo', [fifo]).status !== 0) throw new Error(`mkfifo ${fifo} failed`);
  const configFile = join(dir, 'thrum.yaml');
  writeFileSync(
    configFile,
    stringify({
      device: { id: 'bench' },
      serial: {
        source: 'file',
        path: fifo,
        format: 'frames',
        channels: 3,
        sampleRate: 3200,
        silenceTimeoutMs: 60_000,
      },
      model: { bundle: bundleDir, variant: 'int8' },
      detector: { k: 1, n: 1, minClearWindows: 1, cooldownWindows: 0 },
      mqtt: { url: brokerUrl, clientId: `thrum-bench-latency-${process.pid}` },
      outbox: { path: join(dir, 'outbox.db') },
      inference: { maxDelayMs: o.maxDelayMs },
      log: { level: 'info' },
    }),
  );
  const frames = frameSchedule({
    sensors: LATENCY_SENSORS,
    seconds: o.seconds,
    staggerMs: STAGGER_MS,
    anomalous: (start) => (start / BENCH_HOP) % 3 === 2,
    seed: 21,
  });

  // The daemon's own JSON log, formatted and written as in production (to /dev/null unless asked).
  const log = pino({ level: 'info' }, pino.destination({ dest: o.logPath ?? '/dev/null', sync: true }));
  try {
    const config = loadConfig(configFile);
    const probe = probeDaemon(await createPorts(config, log));
    const daemon = buildDaemon(config, probe.ports);
    daemon.start();
    await withTimeout(probe.connected, 10_000, `the daemon to connect to ${brokerUrl}`);
    const sink = await FifoWriter.open(fifo, 10_000);
    // Window-completing writes per sensor: [epoch ms, performance.now()] by the window's end sample.
    const completions = new Map<number, { epochMs: number; at: number }[]>();
    let windows = 0;
    const t0 = performance.now();
    await paceFrames(frames, 1, (frame) => {
      const completes = frame.endSample >= BENCH_WINDOW && (frame.endSample - BENCH_WINDOW) % BENCH_HOP === 0;
      const epochMs = Date.now();
      const at = performance.now();
      sink.write(frame.bytes);
      if (!completes) return;
      windows++;
      const list = completions.get(frame.sensorId) ?? [];
      completions.set(frame.sensorId, list);
      list.push({ epochMs, at });
    });
    for (let i = 0; i < 100 && sink.pendingBytes > 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
      sink.flush();
    }
    await new Promise((r) => setTimeout(r, 300));
    sink.close();
    await withTimeout(daemon.ended, 10_000, 'the daemon to reach the end of its input');
    await daemon.stop('bench done');

    const warmupEnd = t0 + o.warmupSeconds * 1000;
    const latencies: number[] = [];
    const legs = {
      detect: [] as number[],
      commit: [] as number[],
      handoff: [] as number[],
      broker: [] as number[],
    };
    for (const t of probe.alerts.values()) {
      if (
        t.appendStart === undefined ||
        t.appendEnd === undefined ||
        t.publishCall === undefined ||
        t.puback === undefined
      )
        continue;
      // The window's last frame: the latest window-completing write of that sensor at or before windowEnd
      // (the daemon stamps windowEnd when the bytes arrive; windows of one sensor are 160 ms apart).
      let match: { at: number } | undefined;
      for (const c of completions.get(t.sensorId) ?? []) if (c.epochMs <= t.windowEndMs + 1) match = c;
      if (!match || match.at < warmupEnd) continue;
      latencies.push(t.puback - match.at);
      legs.detect.push(t.appendStart - match.at);
      legs.commit.push(t.appendEnd - t.appendStart);
      legs.handoff.push(t.publishCall - t.appendEnd);
      legs.broker.push(t.puback - t.publishCall);
    }
    return {
      maxDelayMs: o.maxDelayMs,
      sensors: LATENCY_SENSORS,
      seconds: o.seconds,
      warmupSeconds: o.warmupSeconds,
      windows,
      alerts: latencies.length,
      p50Ms: quantile(latencies, 0.5),
      p99Ms: quantile(latencies, 0.99),
      maxMs: latencies.length > 0 ? Math.max(...latencies) : Number.NaN,
      legs: {
        detect: summary(legs.detect),
        commit: summary(legs.commit),
        handoff: summary(legs.handoff),
        broker: summary(legs.broker),
      },
    };
  } finally {
    forget();
    rmSync(dir, { recursive: true, force: true });
  }
}

function summary(values: number[]): { p50Ms: number; p99Ms: number } {
  return { p50Ms: quantile(values, 0.5), p99Ms: quantile(values, 0.99) };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
