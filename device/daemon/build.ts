import { buildAlertPipeline, emptyPipelineCounters } from '../../runtime/alert-pipeline.js';
import { createScorer } from '../../runtime/scoring/scorer.js';
import { FeatureExtractor } from '../../shared/features/extractor.js';
import { statusTopic } from '../../shared/mqtt/topics.js';
import { redactUrl } from '../../shared/redact-url.js';
import type { Config } from '../config/load-config.js';
import { sampleRateMonitorFor } from '../health/sample-rate-monitor.js';
import { AlertPublisher } from '../publisher/alert-publisher.js';
import { entryPayload, entryTopic } from '../publisher/payloads.js';
import { ScoreSummarizer } from '../publisher/score-summary.js';
import { StatusPublisher } from '../publisher/status-publisher.js';
import type { SourceStatus } from '../source/sensor-source.js';
import { AlertSink } from './alert-sink.js';
import { BadInputLog } from './bad-input-log.js';
import { clockScheduler } from './clock-scheduler.js';
import { Daemon } from './daemon.js';
import { daemonHealth } from './health-sections.js';
import type { DaemonPorts } from './ports.js';
import { newSession, statusBase } from './session.js';
import { StatusLog } from './status-log.js';
import { Telemetry } from './telemetry.js';

/**
 * Wires a daemon from its ports: the one place the parts meet. Opens nothing itself (createPorts does that
 * for `thrum run`; a test passes fakes), so the same daemon runs on real adapters and on fakes.
 */
export function buildDaemon(config: Config, ports: DaemonPorts): Daemon {
  const { model, source, client, outbox, clock, log } = ports;
  const session = ports.session ?? newSession(clock);
  const { manifest } = model;
  const deviceId = config.device.id;
  const prefix = config.mqtt.topicPrefix;

  const extractor = new FeatureExtractor(manifest.features, manifest.normalization, manifest.channelNames);
  const scorer = createScorer(model.engine, extractor.groups);
  const counters = emptyPipelineCounters();
  const summarizer = new ScoreSummarizer(Math.random, {
    threshold: model.detector.threshold,
    variant: model.variant,
  });
  const badInput = new BadInputLog(log, clock);
  const scheduler = clockScheduler(clock);
  const { serial, inference } = config;
  const rates = sampleRateMonitorFor(serial);

  const publisher = new AlertPublisher({
    outbox,
    client,
    clock,
    topicFor: (e) => entryTopic(prefix, deviceId, e),
    payloadFor: (e, historical) => entryPayload(deviceId, e, historical, ports.log),
    replayRatePerSec: config.outbox.replayRatePerSec,
    historicalAfterMs: config.mqtt.historicalAfterMs,
    log,
    onAcked: ports.hooks?.onAcked,
  });
  const sink = new AlertSink(
    outbox,
    {
      deviceId,
      bundleId: manifest.bundleId,
      modelVariant: model.variant,
      ...(serial.source === 'file' && serial.path !== undefined
        ? { file: { path: serial.path, sampleRate: serial.sampleRate } }
        : {}),
    },
    clock,
    () => publisher.notify(),
    log,
  );
  const status = new StatusPublisher(
    client,
    statusTopic(prefix, deviceId),
    statusBase(config, manifest.bundleId, session, model.provenance, model.variant),
    log,
  );
  let sourceStatus: SourceStatus | undefined;
  const health = daemonHealth({
    deviceId,
    startedAt: session.startedAt,
    source,
    sourceStatus: () => sourceStatus,
    counters,
    variant: model.variant,
    variantReason: model.variantReason,
    provenance: model.provenance,
    sink,
    outbox,
    client,
    publisher,
    telemetry: () => telemetry.counters,
    rates,
    now: () => clock.now(),
  });
  let lastScore: number | undefined;
  const statusLog = new StatusLog(
    () => {
      const rate = rates && [...rates.rates(clock.now()).values()].find((r) => r.mismatch);
      return {
        scored: counters.inference.scored,
        lastScore,
        threshold: model.detector.threshold,
        variant: model.variant,
        raised: sink.counters.raised,
        cleared: sink.counters.cleared,
        outboxPending: outbox.depth(),
        brokerConnected: client.connected,
        ...(rate ? { rateMismatch: { measuredHz: rate.measuredHz, expectedHz: serial.sampleRate } } : {}),
      };
    },
    config.status.intervalMs,
    clock,
    log,
  );
  const telemetry = new Telemetry(
    client,
    summarizer,
    health,
    { prefix, deviceId },
    { scoreMs: config.score.intervalMs, healthMs: config.health.intervalMs },
    clock,
    log,
  );

  log.info(
    {
      event: 'model.ready',
      bundleId: manifest.bundleId,
      variant: model.variant,
      threshold: model.detector.threshold,
      rule: model.detector.rule,
      window: manifest.features.window,
      hop: manifest.features.hop,
      features: extractor.size,
      outbox: config.outbox.path,
      broker: redactUrl(config.mqtt.url),
    },
    'model and outbox ready',
  );

  return new Daemon({
    clock,
    log,
    source,
    client,
    outbox,
    pipeline: (bytes$) =>
      buildAlertPipeline(
        {
          kind: 'bytes',
          bytes$,
          format: serial.format,
          sensorId: serial.sensorId,
          channels: serial.channels,
          sampleRate: serial.sampleRate,
          csvTimestamp: serial.csvTimestamp,
        },
        {
          spec: {
            channels: manifest.features.channels,
            window: manifest.features.window,
            hop: manifest.features.hop,
            sampleRate: manifest.sampleRate,
          },
          extractor,
          scorer,
          detector: {
            rule: model.detector.rule,
            calibration: { threshold: model.detector.threshold, reference: model.detector.reference },
          },
          batching: {
            maxBatch: inference.maxBatch,
            maxDelayMs: inference.maxDelayMs,
            maxQueue: inference.maxQueue,
          },
          counters,
          onScored: (w) => {
            summarizer.add(w.sensorId, w.score, w.endTimeMs);
            lastScore = w.score;
          },
          onBad: (reason, bytes) => badInput.bad(reason, bytes),
          onSamples: rates
            ? (b) => rates.add(b.sensorId, b.samples.length / b.channels, clock.now())
            : undefined,
          scheduler,
        },
      ),
    sink,
    publisher,
    status,
    telemetry,
    statusLog,
    onSourceStatus: (s) => {
      sourceStatus = s;
    },
    shutdownDeadlineMs: config.shutdown.deadlineMs,
    closeEngine: () => model.engine.close(),
  });
}
