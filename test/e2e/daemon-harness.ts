// Runs the real daemon (`node bin/thrum.js run --config ...`) against a real mosquitto and a socat pty, for
// the end-to-end tests: a temp dir with thrum.yaml, the spawned process with its JSON log lines, a subscriber
// that records every thrum message, and a writer that feeds samples into the other pty end.
import type { ChildProcess } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { stringify } from 'yaml';
import type { FailpointName } from '../../device/failpoint.js';
import { terminate } from '../../scripts/process/child-exit.js';
import { onLines } from '../../scripts/process/lines.js';
import { runToken } from '../../scripts/process/run-token.js';
import { spawnTracked } from '../../scripts/process/spawn-tracked.js';
import { waitUntil } from '../../scripts/process/wait-until.js';
import {
  type Alert,
  isKind,
  type PayloadOf,
  parseMessage,
  type ThrumMessage,
  type TopicKind,
} from '../../shared/mqtt/contract.js';
import { encodeCsv, encodeFrame } from '../../shared/protocol/index.js';
import { syntheticVibration } from '../fixtures/synthetic-vibration.js';
import '../helpers/stop-after-file.js';

const ROOT = resolve(import.meta.dirname, '../..');
export const DEVICE_ID = 'e2e-pump';
export const SAMPLE_RATE = 800;
export const CHANNELS = 3;

export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `thrum-e2e-${runToken()}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ConfigOptions {
  dir: string;
  bundle: string;
  serialPath: string;
  brokerUrl: string;
  format?: 'csv' | 'frames';
  extra?: Record<string, Record<string, unknown>>;
}

export function writeConfig(o: ConfigOptions): string {
  const doc: Record<string, Record<string, unknown>> = {
    device: { id: DEVICE_ID },
    serial: {
      path: o.serialPath,
      format: o.format ?? 'csv',
      channels: CHANNELS,
      sampleRate: SAMPLE_RATE,
      sensorId: 1,
      silenceTimeoutMs: 60_000,
    },
    model: { bundle: o.bundle, variant: 'int8' },
    mqtt: {
      url: o.brokerUrl,
      reconnectPeriodMs: 200,
      reconnectMaxMs: 1000,
      keepalive: 5,
      historicalAfterMs: 1000,
    },
    outbox: { path: join(o.dir, 'outbox.db') },
    log: { level: 'info' },
    health: { intervalMs: 1000 },
    score: { intervalMs: 1000 },
  };
  for (const [section, values] of Object.entries(o.extra ?? {}))
    doc[section] = { ...doc[section], ...values };
  const file = join(o.dir, 'thrum.yaml');
  writeFileSync(file, stringify(doc));
  return file;
}

export interface LogLine {
  level: number;
  msg: string;
  /** The stable name of what happened (`alert.committed`, `daemon.stopped`); match it, not `msg`. */
  event?: string;
  [key: string]: unknown;
}

export interface DaemonProcess {
  child: ChildProcess;
  lines: LogLine[];
  stderr(): string;
  /** Resolves on `process.send('ready')`. */
  ready: Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitForLog(what: string, predicate: (l: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  count(predicate: (l: LogLine) => boolean): number;
  /** Resolves once the daemon logged its (first) broker connection. */
  connected(): Promise<LogLine>;
  stop(): Promise<void>;
}

/** The daemon's log line for each alert committed to the outbox (raised or cleared; written after the commit). */
export const isAlertCommittedLog = (l: LogLine) => l.event === 'alert.committed';

/** The daemon's log line for each successful broker connection. */
export const isConnectedLog = (l: LogLine) => l.event === 'mqtt.connected';

export function spawnDaemon(configFile: string, env: Record<string, string> = {}): DaemonProcess {
  const child = spawnTracked(process.execPath, [join(ROOT, 'bin/thrum.js'), 'run', '--config', configFile], {
    cwd: ROOT,
    env: { ...process.env, ...env, THRUM_TEST_RUN: runToken() },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    graceMs: 8000,
  });
  const lines: LogLine[] = [];
  let err = '';
  onLines(child.stdout!, (p) => {
    if (!p.trim()) return;
    try {
      lines.push(JSON.parse(p));
    } catch {
      lines.push({ level: 0, msg: p });
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.once('exit', (code, signal) => res({ code, signal })),
  );
  const ready = new Promise<void>((res, rej) => {
    child.on('message', (m) => m === 'ready' && res());
    void exit.then(({ code, signal }) =>
      rej(new Error(`daemon exited (${code ?? signal}) before ready:\n${err}`)),
    );
  });
  ready.catch(() => {});
  async function waitForLog(
    what: string,
    predicate: (l: LogLine) => boolean,
    timeoutMs = 30_000,
  ): Promise<LogLine> {
    await waitUntil(() => lines.some(predicate), timeoutMs, what).catch((e: Error) => {
      throw new Error(
        `${e.message}\nlog:\n${lines.map((l) => JSON.stringify(l)).join('\n')}\nstderr:\n${err}`,
      );
    });
    return lines.find(predicate)!;
  }
  return {
    child,
    lines,
    stderr: () => err,
    ready,
    exit,
    waitForLog,
    count: (predicate) => lines.filter(predicate).length,
    connected: () => waitForLog('the broker connection', isConnectedLog),
    stop: () => terminate(child, 8000),
  };
}

export interface Received {
  topic: string;
  /** The message as the MQTT contract reads it (shared/mqtt/contract.ts): kind, ids, typed payload. */
  message: ThrumMessage;
  retain: boolean;
  at: number;
}

/**
 * Subscribes to every thrum topic of the test device; records messages in arrival order, each read through the
 * contract. Anything under the device's topics that breaks the contract lands in `malformed` (topic: reason).
 */
export async function subscribe(
  url: string,
): Promise<{ got: Received[]; malformed: string[]; client: MqttClient; close(): Promise<void> }> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 5, reconnectPeriod: 100 });
  const got: Received[] = [];
  const malformed: string[] = [];
  client.on('message', (topic, payload, packet) => {
    try {
      const message = parseMessage(topic, payload);
      if (message) got.push({ topic, message, retain: packet.retain, at: Date.now() });
      else malformed.push(`${topic}: not a topic of the MQTT contract`);
    } catch (err) {
      malformed.push((err as Error).message);
    }
  });
  await client.subscribeAsync(`thrum/${DEVICE_ID}/#`, { qos: 1 });
  return { got, malformed, client, close: () => client.endAsync(true) };
}

/** The payloads of one kind, in arrival order, typed by the contract (e.g. `payloadsOf(got, 'health')`). */
export function payloadsOf<K extends TopicKind>(got: Received[], kind: K): PayloadOf<K>[] {
  return got
    .map((r) => r.message)
    .filter(isKind(kind))
    .map((m) => m.payload);
}

export const alertsIn = (got: Received[]): Alert[] => payloadsOf(got, 'alert');

/**
 * A pty end open for writing, fed at a multiple of real time so tests stay short. Non-blocking: when the
 * daemon stops reading (it was killed) the pty buffer fills, and a blocking write would freeze the test.
 */
/**
 * Spawns the daemon with `failpoint` armed, waits until it is connected, then feeds 3 s of healthy and 3 s of
 * faulty csv (seeds `seed`, `seed + 1`) into the pty until the first alert reaches the failpoint, which SIGKILLs
 * the process. Returns the dead daemon, how it exited, and the stopped writer (still open: the caller closes it).
 */
export async function crashAtFailpoint(
  configFile: string,
  ptyPath: string,
  failpoint: FailpointName,
  seed: number,
): Promise<{
  daemon: DaemonProcess;
  exited: { code: number | null; signal: NodeJS.Signals | null };
  writer: SampleWriter;
}> {
  const daemon = spawnDaemon(configFile, { THRUM_FAILPOINT: failpoint });
  await daemon.ready;
  await daemon.connected();
  const writer = new SampleWriter(ptyPath, 'csv');
  await writer.write(syntheticVibration({ seconds: 3, seed }));
  const writing = writer.write(syntheticVibration({ seconds: 3, seed: seed + 1, fault: 'gain' }));
  const exited = await daemon.exit;
  writer.stop();
  await writing;
  return { daemon, exited, writer };
}

export class SampleWriter {
  private readonly fd: number;
  private frameSeq = 0;
  private stopped = false;

  constructor(
    path: string,
    private readonly format: 'csv' | 'frames',
    private readonly speedup = 8,
  ) {
    this.fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  }

  /** Writes interleaved samples in chunks of `chunkSeconds`, sleeping so the rate is speedup x real time. */
  async write(samples: Float32Array, chunkSeconds = 0.04): Promise<void> {
    const perChunk = Math.round(chunkSeconds * SAMPLE_RATE) * CHANNELS;
    for (let i = 0; i < samples.length && !this.stopped; i += perChunk) {
      const part = samples.subarray(i, Math.min(samples.length, i + perChunk));
      const bytes =
        this.format === 'csv'
          ? Buffer.from(encodeCsv(part, CHANNELS))
          : Buffer.from(
              encodeFrame({
                sensorId: 1,
                seq: this.frameSeq++,
                channels: CHANNELS,
                samples: part,
                format: 'int16',
              }),
            );
      await this.writeAll(bytes);
      await sleep((chunkSeconds * 1000) / this.speedup);
    }
  }

  /** Makes pending and later writes return at once (the reader is gone). */
  stop(): void {
    this.stopped = true;
  }

  close(): void {
    this.stopped = true;
    closeSync(this.fd);
  }

  private async writeAll(bytes: Buffer): Promise<void> {
    let off = 0;
    while (off < bytes.length && !this.stopped) {
      try {
        off += writeSync(this.fd, bytes, off);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        await sleep(5);
      }
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
