import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../device/adapters/embedded-broker.js';
import { resolveConfig, validateConfig } from '../../device/config/load-config.js';
import { buildDaemon } from '../../device/daemon/build.js';
import { createPorts } from '../../device/daemon/real-ports.js';
import { createLogger } from '../../device/logger.js';
import { readBundle } from '../../shared/bundle/read.js';
import { ThrumError } from '../../shared/errors.js';
import { formatScore } from '../../shared/format-score.js';
import { filterOf } from '../../shared/mqtt/contract.js';
import { type Subscriber, startSubscriber } from '../watch/mqtt-subscriber.js';
import { WatchPrinter } from '../watch/watch-printer.js';
import { REPLAY_DEVICE, replayConfigDoc, sniffFormat } from './replay-config.js';

/** `thrum run --replay` options as commander hands them over. */
export interface RawReplayOptions {
  replay: string;
  bundle?: string;
  mqtt?: string;
  device?: string;
  format?: string;
  realtime?: boolean;
  logLevel: string;
}

export interface ReplayIo {
  out(line: string): void;
  err(line: string): void;
  isTty: boolean;
  /** Resolves on SIGINT/SIGTERM. */
  stopped: Promise<void>;
}

/** How long the alerts may take from the outbox through the broker to the printer after the file ended. */
const DELIVERY_WAIT_MS = 5000;

/**
 * `thrum run --bundle DIR --replay FILE`: the real daemon (the same ports and wiring as `thrum run`) on a
 * recording, publishing to an embedded broker (or `--mqtt`), with the alerts printed as `thrum watch` prints
 * them, in this terminal. Returns the exit code: 0 when the file was replayed, 1/2 when the pipeline failed.
 */
export async function startReplay(raw: RawReplayOptions, io: ReplayIo): Promise<number> {
  if (raw.bundle === undefined) {
    throw usage('--replay needs --bundle DIR: the bundle thrum train wrote, e.g. --bundle bundles/mine');
  }
  const file = resolve(raw.replay);
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw usage(`--replay ${raw.replay}: no such file; give a recording (thrum sim --out, thrum record)`);
  }
  if (raw.format !== undefined && raw.format !== 'csv' && raw.format !== 'frames') {
    throw usage(`--format '${raw.format}': use csv or frames (default: from the file's first bytes)`);
  }
  const { manifest, dir: bundle } = await readBundle(raw.bundle, { variants: [] });
  const format = raw.format ?? sniffFormat(file);
  const deviceId = raw.device ?? REPLAY_DEVICE;
  const work = mkdtempSync(join(tmpdir(), 'thrum-replay-'));
  let broker: EmbeddedBroker | undefined;
  let subscriber: Subscriber | undefined;
  try {
    broker = raw.mqtt === undefined ? await startEmbeddedBroker() : undefined;
    const brokerUrl = raw.mqtt ?? broker!.url;
    const virtualFile = join(process.cwd(), 'thrum-replay.yaml');
    const doc = replayConfigDoc({
      file,
      bundle,
      format,
      channels: manifest.features.channels,
      sampleRate: manifest.sampleRate,
      realtime: raw.realtime === true,
      deviceId,
      brokerUrl,
      protocolVersion: broker ? 4 : 'auto',
      outbox: join(work, 'outbox.db'),
      logLevel: raw.logLevel,
      statusIntervalMs: 30_000,
    });
    const config = resolveConfig(virtualFile, validateConfig(virtualFile, doc));

    // Subscribed before the daemon starts, so no alert is published to nobody.
    const printer = new WatchPrinter({ prefix: 'thrum', json: false, color: io.isTty, now: Date.now });
    const subscribed = new Promise<void>((resolveSubscribed) => {
      subscriber = startSubscriber({
        url: brokerUrl,
        protocol: broker ? 4 : 'auto',
        filters: [
          filterOf('alert', { prefix: config.mqtt.topicPrefix, deviceId }),
          filterOf('status', { prefix: config.mqtt.topicPrefix, deviceId }),
        ],
        onMessage: (topic, payload) => {
          for (const { stream, line } of printer.handle(topic, payload))
            (stream === 'out' ? io.out : io.err)(line);
        },
        onNotice: (notice) => {
          if (notice.event === 'watch.connected') resolveSubscribed();
          else io.err(notice.line);
        },
      });
    });
    await subscribed;

    const log = createLogger(config.log.level, { deviceId }, config.log.format);
    const ports = await createPorts(config, log);
    const { detector, variant } = ports.model;
    io.err(
      `thrum run: replaying ${basename(file)} (${format}, ${config.serial.channels} channels at ${config.serial.sampleRate} Hz, ` +
        `${config.serial.realtime ? 'at the recorded rate' : 'as fast as it reads'}) through ${raw.bundle} ` +
        `(${variant}, threshold ${formatScore(detector.threshold)}); alerts via ${broker ? `the embedded MQTT broker on ${brokerUrl}` : brokerUrl}`,
    );
    const startedAt = Date.now();
    const daemon = buildDaemon(config, ports);
    daemon.start();
    const end = await Promise.race([daemon.ended, io.stopped.then(() => ({ reason: 'SIGINT' }) as const)]);
    await daemon.stop(end.reason);
    const committed = daemon.sink.counters.raised + daemon.sink.counters.cleared;
    const deadline = Date.now() + DELIVERY_WAIT_MS;
    while (printer.counters.alerts < committed && Date.now() < deadline) await sleep(20);

    const { reading } = daemon.statusLine();
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    const how = end.reason === 'input-ended' ? 'replayed' : end.reason === 'SIGINT' ? 'stopped' : 'failed';
    io.err(
      `thrum run: ${basename(file)} ${how} in ${seconds} s: ${reading.scored} windows scored, ` +
        `${reading.raised} alert(s) raised, ${reading.cleared} cleared` +
        (printer.counters.alerts < committed
          ? `; ${committed - printer.counters.alerts} not received from the broker`
          : ''),
    );
    if ('error' in end) return (end.error as { exitCode?: number }).exitCode ?? 1;
    return 0;
  } finally {
    await subscriber?.close();
    await broker?.close();
    rmSync(work, { recursive: true, force: true });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function usage(message: string): ThrumError {
  return new ThrumError('BAD_USAGE', message);
}
