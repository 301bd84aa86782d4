import { openEngine } from '../../runtime/engines/open-engine.js';
import type { EngineFactory } from '../../runtime/open-bundle.js';
import { type Clock, systemClock } from '../../shared/clock.js';
import type { Log } from '../../shared/log.js';
import { statusTopic } from '../../shared/mqtt/topics.js';
import { uuidv7 } from '../../shared/mqtt/uuidv7.js';
import { createDecoder } from '../../shared/protocol/index.js';
import { redactUrl } from '../../shared/redact-url.js';
import { MqttBrokerClient } from '../adapters/mqtt-client.js';
import { createSerialSource } from '../adapters/serialport-source.js';
import { SqliteOutbox } from '../adapters/sqlite-outbox.js';
import type { Config } from '../config/load-config.js';
import { warnWithoutProgress } from '../publisher/no-progress-warning.js';
import { StatusPublisher } from '../publisher/status-publisher.js';
import { createFileSource } from '../source/file-source.js';
import { replayByteRate } from '../source/replay-rate.js';
import type { SensorSource } from '../source/sensor-source.js';
import { createStdinSource } from '../source/stdin-source.js';
import { openModel } from './model.js';
import type { DaemonPorts } from './ports.js';
import { newSession, statusBase } from './session.js';

const DAY_MS = 86_400_000;

/**
 * The real adapters of `thrum run` from a validated config: the bundle (verified before anything else opens,
 * so a bad one fails with nothing created) on ONNX Runtime, the SQLite outbox, the mqtt.js client with its
 * Last Will, and the serial, file or stdin source.
 */
export async function createPorts(
  config: Config,
  log: Log,
  clock: Clock = systemClock,
): Promise<DaemonPorts> {
  const session = newSession(clock);
  // model.engine: onnxruntime-node where it loads, else onnxruntime-web (wasm); the choice is logged.
  const engines: EngineFactory = (bundle) => {
    const chosen = openEngine(config.model.engine, bundle, log);
    return async (variant) => (await chosen).factory(variant);
  };
  const model = await openModel(config, engines, log);

  const outbox = new SqliteOutbox({
    path: config.outbox.path,
    bounds: { maxBytes: config.outbox.maxBytes, maxAgeMs: config.outbox.maxAgeDays * DAY_MS },
    newId: () => uuidv7(clock.now()),
    ramBufferMax: config.outbox.ramBufferMax,
    log,
    now: () => clock.now(),
  });

  const { mqtt } = config;
  const clientId = mqtt.clientId ?? `thrum-${config.device.id}`;
  const client = new MqttBrokerClient({
    url: mqtt.url,
    protocolVersion: mqtt.protocolVersion,
    clientId,
    username: mqtt.username,
    password: mqtt.password,
    ca: mqtt.ca,
    cert: mqtt.cert,
    key: mqtt.key,
    rejectUnauthorized: mqtt.rejectUnauthorized,
    keepalive: mqtt.keepalive,
    connectTimeoutMs: mqtt.connectTimeoutMs,
    reconnectPeriodMs: mqtt.reconnectPeriodMs,
    reconnectMaxMs: mqtt.reconnectMaxMs,
    will: StatusPublisher.will(
      statusTopic(mqtt.topicPrefix, config.device.id),
      statusBase(config, model.manifest.bundleId, session, model.provenance, model.variant),
    ),
    log,
    clock,
  });
  // A broker that silently drops every CONNECT must not leave the log silent too.
  warnWithoutProgress(client, {
    broker: redactUrl(mqtt.url),
    clientId,
    connectTimeoutMs: mqtt.connectTimeoutMs,
    log,
    clock,
  });

  return { model, source: await createSource(config, log), client, outbox, clock, log, session };
}

async function createSource(config: Config, log: Log): Promise<SensorSource> {
  const { serial } = config;
  switch (serial.source) {
    case 'serial':
      return createSerialSource(
        { path: serial.path!, baudRate: serial.baudRate },
        { silenceMs: serial.silenceTimeoutMs, logger: log },
      );
    case 'file': {
      const decoder = createDecoder(serial.format, {
        channels: serial.channels,
        sensorId: serial.sensorId,
        timestamp: serial.csvTimestamp,
      });
      const pace = serial.realtime
        ? { bytesPerSecond: await replayByteRate(serial.path!, decoder, serial.sampleRate) }
        : undefined;
      return createFileSource(serial.path!, { pace, logger: log });
    }
    case 'stdin':
      return createStdinSource({ logger: log });
  }
}
