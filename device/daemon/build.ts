import { ortEngineFactory } from '../../runtime/engines/ort-engine.js';
import { createScorer } from '../../runtime/scoring/scorer.js';
import { selectVariant } from '../../runtime/scoring/select-variant.js';
import { type Clock, systemClock } from '../../shared/clock.js';
import { FeatureExtractor } from '../../shared/features/extractor.js';
import type { Log } from '../../shared/log.js';
import { statusTopic } from '../../shared/mqtt/topics.js';
import { uuidv7 } from '../../shared/mqtt/uuidv7.js';
import { createDecoder } from '../../shared/protocol/index.js';
import { redactUrl } from '../../shared/redact-url.js';
import { MqttBrokerClient } from '../adapters/mqtt-client.js';
import { createSerialSource } from '../adapters/serialport-source.js';
import { SqliteOutbox } from '../adapters/sqlite-outbox.js';
import { checkBundle, effectiveDetector } from '../check-config.js';
import type { Config } from '../config/load-config.js';
import { warnWithoutProgress } from '../publisher/no-progress-warning.js';
import { StatusPublisher } from '../publisher/status-publisher.js';
import { createFileSource } from '../source/file-source.js';
import { replayByteRate } from '../source/replay-rate.js';
import type { SensorSource } from '../source/sensor-source.js';
import { createStdinSource } from '../source/stdin-source.js';
import { Daemon, type DaemonParts } from './daemon.js';

const DAY_MS = 86_400_000;

/** Builds the real adapters from a validated config and returns a daemon ready to start. */
export async function buildDaemon(
  config: Config,
  log: Log,
  clock: Clock = systemClock,
  instrument: Pick<DaemonParts, 'onAcked'> = {},
): Promise<Daemon> {
  const startedAt = clock.now();
  const session = uuidv7(startedAt);
  const { bundle } = await checkBundle(config);
  const { manifest } = bundle;

  const choice = await selectVariant(config.model.variant, ortEngineFactory(bundle), log);
  const detector = effectiveDetector(config, bundle, choice.variant);
  const extractor = new FeatureExtractor(manifest.features, manifest.normalization, manifest.channelNames);
  const scorer = createScorer(choice.engine, extractor.groups);

  const outbox = new SqliteOutbox({
    path: config.outbox.path,
    bounds: { maxBytes: config.outbox.maxBytes, maxAgeMs: config.outbox.maxAgeDays * DAY_MS },
    newId: () => uuidv7(clock.now()),
    ramBufferMax: config.outbox.ramBufferMax,
    log,
    now: () => clock.now(),
  });

  const statusBase = Daemon.statusBase({ config, bundleId: manifest.bundleId, session, startedAt });
  const { mqtt } = config;
  const client = new MqttBrokerClient({
    url: mqtt.url,
    protocolVersion: mqtt.protocolVersion,
    clientId: mqtt.clientId ?? `thrum-${config.device.id}`,
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
    will: StatusPublisher.will(statusTopic(mqtt.topicPrefix, config.device.id), statusBase),
    log,
  });
  const watch = { broker: redactUrl(mqtt.url), clientId: mqtt.clientId ?? `thrum-${config.device.id}` };
  warnWithoutProgress(client, { ...watch, connectTimeoutMs: mqtt.connectTimeoutMs, log, clock });

  log.info(
    {
      event: 'daemon.model-ready',
      bundleId: manifest.bundleId,
      variant: choice.variant,
      threshold: detector.threshold,
      rule: detector.rule,
      window: manifest.features.window,
      hop: manifest.features.hop,
      features: extractor.size,
      outbox: config.outbox.path,
      broker: redactUrl(mqtt.url),
    },
    'model and outbox ready',
  );

  return new Daemon({
    config,
    log,
    clock,
    source: await createSource(config, log),
    pipeline: {
      format: config.serial.format,
      csvTimestamp: config.serial.csvTimestamp,
      sensorId: config.serial.sensorId,
      channels: config.serial.channels,
      spec: {
        channels: manifest.features.channels,
        window: manifest.features.window,
        hop: manifest.features.hop,
        sampleRate: manifest.sampleRate,
      },
      extractor,
      scorer,
      maxBatch: config.inference.maxBatch,
      maxDelayMs: config.inference.maxDelayMs,
      maxQueue: config.inference.maxQueue,
    },
    detector: {
      rule: detector.rule,
      calibration: { threshold: detector.threshold, reference: detector.reference },
    },
    outbox,
    client,
    bundleId: manifest.bundleId,
    modelVariant: choice.variant,
    session,
    startedAt,
    closeEngine: () => choice.engine.close(),
    ...instrument,
  });
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
