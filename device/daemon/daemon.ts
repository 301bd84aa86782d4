import { Subject, Subscription, takeUntil } from 'rxjs';
import { buildAlertPipeline, emptyPipelineCounters } from '../../runtime/alert-pipeline.js';
import type { BatchScorer } from '../../runtime/operators/score-batches.js';
import type { WindowFeaturizer } from '../../runtime/operators/to-features.js';
import type { DetectorRule, ModelVariant, VariantCalibration } from '../../shared/bundle/manifest.js';
import type { Clock } from '../../shared/clock.js';
import type { Log } from '../../shared/log.js';
import { HEALTH_FLAGS, type HealthFlag } from '../../shared/mqtt/health.js';
import { isoTime } from '../../shared/mqtt/iso-time.js';
import { statusTopic } from '../../shared/mqtt/topics.js';
import type { CsvTimestamp } from '../../shared/protocol/csv-decoder.js';
import type { WireFormat } from '../../shared/protocol/types.js';
import type { WindowSpec } from '../../shared/windowing.js';
import type { Config } from '../config/load-config.js';
import { HealthReporter, type HealthSection } from '../health/health-report.js';
import type { Outbox, OutboxEntry } from '../outbox/outbox.js';
import { AlertPublisher } from '../publisher/alert-publisher.js';
import type { BrokerClient } from '../publisher/broker-client.js';
import { entryPayload, entryTopic } from '../publisher/payloads.js';
import { ScoreSummarizer } from '../publisher/score-summary.js';
import { StatusPublisher } from '../publisher/status-publisher.js';
import type { SensorSource, SourceStatus } from '../source/sensor-source.js';
import { AlertSink } from './alert-sink.js';
import { BadInputLog } from './bad-input-log.js';
import { Telemetry } from './telemetry.js';

/** How often the size/age bounds are applied when no alert arrives. */
const BOUNDS_SWEEP_MS = 60_000;
/** While alerts wait in RAM (full disk), how often writing them back is retried. */
const RAM_RETRY_MS = 2_000;

export interface DaemonParts {
  config: Config;
  log: Log;
  clock: Clock;
  source: SensorSource;
  pipeline: DaemonPipeline;
  detector: { rule: DetectorRule; calibration: Pick<VariantCalibration, 'threshold' | 'reference'> };
  outbox: Outbox;
  client: BrokerClient & { start(): void };
  bundleId: string;
  modelVariant: ModelVariant;
  /** UUIDv7 of this start; in every status message. */
  session: string;
  startedAt: number;
  /** Frees the inference engine at the end. */
  closeEngine?: () => Promise<void>;
  /** Instrumentation (benchmarks): called when an entry's PUBACK removed it from the outbox. */
  onAcked?: (entry: OutboxEntry, ackedAt: number) => void;
}

/** What the daemon's one sensor pipeline runs: the wire format in, the bundle's spec, extractor and scorer. */
export interface DaemonPipeline {
  format: WireFormat;
  csvTimestamp?: CsvTimestamp;
  sensorId: number;
  channels: number;
  spec: WindowSpec & { sampleRate: number };
  extractor: WindowFeaturizer;
  scorer: BatchScorer;
  maxBatch: number;
  maxDelayMs: number;
  maxQueue?: number;
}

export type DaemonEnd = { reason: 'input-ended' } | { reason: 'pipeline-error'; error: Error };

/**
 * One running daemon: the sensor pipeline feeding the detector, the outbox, the publisher, the retained
 * status and the QoS 0 telemetry. `start()` wires them; `stop()` shuts them down in order within
 * `shutdown.deadlineMs`: stop reading, score what is in flight, publish what can be published, close.
 */
export class Daemon {
  readonly publisher: AlertPublisher;
  readonly sink: AlertSink;
  /** Resolves when the input ends (file, stdin) or the pipeline fails; a signal is the other way to stop. */
  readonly ended: Promise<DaemonEnd>;
  private endWith!: (end: DaemonEnd) => void;
  private readonly status: StatusPublisher;
  private readonly summarizer = new ScoreSummarizer();
  private readonly telemetry: Telemetry;
  private readonly counters = emptyPipelineCounters();
  private readonly stopInput = new Subject<void>();
  private readonly badInput: BadInputLog;
  private pipelineDone: Promise<void> = Promise.resolve();
  private subscriptions: Subscription[] = [];
  private sourceStatus: SourceStatus | undefined;
  private stopping: Promise<void> | undefined;

  constructor(private readonly parts: DaemonParts) {
    const { config, clock, client, outbox, log } = parts;
    const deviceId = config.device.id;
    const prefix = config.mqtt.topicPrefix;
    this.ended = new Promise((resolve) => {
      this.endWith = resolve;
    });
    this.publisher = new AlertPublisher({
      outbox,
      client,
      clock,
      topicFor: (e) => entryTopic(prefix, deviceId, e),
      payloadFor: (e, historical) => entryPayload(deviceId, e, historical),
      replayRatePerSec: config.outbox.replayRatePerSec,
      historicalAfterMs: config.mqtt.historicalAfterMs,
      log,
      onAcked: parts.onAcked,
    });
    this.sink = new AlertSink(
      outbox,
      { deviceId, bundleId: parts.bundleId, modelVariant: parts.modelVariant },
      clock,
      () => this.publisher.notify(),
      log,
    );
    this.status = new StatusPublisher(client, statusTopic(prefix, deviceId), Daemon.statusBase(parts), log);
    const health = new HealthReporter({
      deviceId,
      startedAt: parts.startedAt,
      sources: [
        { name: 'serial', snapshot: () => this.serialSection() },
        { name: 'frames', snapshot: () => ({ ...this.counters.frames }) },
        { name: 'windows', snapshot: () => ({ ...this.counters.windows }) },
        { name: 'inference', snapshot: () => ({ ...this.counters.inference, variant: parts.modelVariant }) },
        { name: 'alerts', snapshot: () => ({ ...this.sink.counters }) },
        { name: 'outbox', snapshot: () => ({ ...outbox.status() }) },
        { name: 'mqtt', snapshot: () => this.mqttSection() },
      ],
      flags: (sections) => Daemon.flags(sections),
    });
    this.telemetry = new Telemetry(client, this.summarizer, health, { prefix, deviceId }, clock, log);
    this.badInput = new BadInputLog(log, clock);
  }

  /** What the status topic says besides `state`; also the Last Will's payload. */
  static statusBase(parts: Pick<DaemonParts, 'config' | 'bundleId' | 'session' | 'startedAt'>) {
    return {
      deviceId: parts.config.device.id,
      bundleId: parts.bundleId,
      startedAt: isoTime(parts.startedAt),
      session: parts.session,
    };
  }

  start(): void {
    const { parts } = this;
    const { config } = parts;
    this.subscriptions.push(parts.source.state$.subscribe((s) => (this.sourceStatus = s)));
    this.status.start();
    this.publisher.start();
    parts.client.start();
    this.telemetry.start(config.score.intervalMs, config.health.intervalMs);
    this.pipelineDone = new Promise((resolve) => {
      const { pipeline: p, detector } = parts;
      const events$ = buildAlertPipeline(
        {
          kind: 'bytes',
          bytes$: parts.source.chunks$.pipe(takeUntil(this.stopInput)),
          format: p.format,
          sensorId: p.sensorId,
          channels: p.channels,
          csvTimestamp: p.csvTimestamp,
        },
        {
          spec: p.spec,
          extractor: p.extractor,
          scorer: p.scorer,
          detector,
          batching: { maxBatch: p.maxBatch, maxDelayMs: p.maxDelayMs, maxQueue: p.maxQueue },
          counters: this.counters,
          onScored: (w) => this.summarizer.add(w.sensorId, w.score, w.endTimeMs),
          onBad: (reason, bytes) => this.badInput.bad(reason, bytes),
        },
      );
      this.subscriptions.push(
        events$.subscribe({
          next: (event) => this.sink.accept(event),
          error: (error: Error) => {
            parts.log.error({ err: error.message }, 'sensor pipeline failed');
            resolve();
            this.endWith({ reason: 'pipeline-error', error });
          },
          complete: () => {
            resolve();
            this.endWith({ reason: 'input-ended' });
          },
        }),
      );
    });
    // Keep the age bound even when no alert arrives for a long time, and write alerts held in RAM during a full
    // disk back soon after space returns rather than on the next alert (evict() flushes the RAM buffer).
    let lastSweep = parts.clock.now();
    const sweep = setInterval(() => {
      const now = parts.clock.now();
      if (now - lastSweep < BOUNDS_SWEEP_MS && parts.outbox.status().ramBuffered === 0) return;
      lastSweep = now;
      this.sink.applyBounds(now);
    }, RAM_RETRY_MS);
    sweep.unref();
    this.subscriptions.push(new Subscription(() => clearInterval(sweep)));
  }

  /** Graceful stop within shutdown.deadlineMs; safe to call more than once. */
  stop(reason: string): Promise<void> {
    this.stopping ??= this.shutdown(reason);
    return this.stopping;
  }

  private async shutdown(reason: string): Promise<void> {
    const { clock, log, outbox, client, config } = this.parts;
    const deadline = clock.now() + config.shutdown.deadlineMs;
    const left = () => Math.max(0, deadline - clock.now());
    log.info({ reason, deadlineMs: config.shutdown.deadlineMs }, 'stopping');

    // 1. Stop reading; the operators flush: partial batches are scored, their alerts committed.
    this.stopInput.next();
    await within(this.pipelineDone, left() / 2, clock);
    for (const s of this.subscriptions) s.unsubscribe();
    this.telemetry.stop();

    // 2. Publish what can be published while the deadline allows (the rest waits in the outbox).
    const reserve = Math.min(1000, config.shutdown.deadlineMs / 4);
    while (outbox.depth() > 0 && client.connected && left() > reserve) {
      await within(this.publisher.idle(), left() - reserve, clock);
      if (outbox.depth() > 0) await clock.sleep(Math.min(20, left()));
    }
    await this.publisher.stop(0);

    // 3. Say goodbye (retained offline), disconnect cleanly, close the files.
    await within(this.status.offline(), left() / 2, clock);
    await client.end(Math.max(100, left()));
    const pending = outbox.depth();
    outbox.close();
    await this.parts.closeEngine?.().catch(() => {});
    log.info({ reason, pendingInOutbox: pending, alerts: this.sink.counters }, 'stopped');
  }

  private serialSection(): HealthSection {
    return {
      name: this.parts.source.name,
      state: this.sourceStatus?.state ?? 'idle',
      ...(this.sourceStatus?.reason ? { reason: this.sourceStatus.reason } : {}),
      ...this.parts.source.counters,
    };
  }

  private mqttSection(): HealthSection {
    const { client } = this.parts;
    const version = (client as { protocolVersion?: number }).protocolVersion;
    return {
      connected: client.connected,
      ...(version ? { protocolVersion: version } : {}),
      ...this.publisher.counters,
      paused: this.publisher.paused,
      ...this.telemetry.counters,
    };
  }

  static flags(sections: Record<string, HealthSection>): HealthFlag[] {
    const on: Record<HealthFlag, boolean> = {
      brokerDisconnected: sections.mqtt?.connected === false,
      serialSilent: ['silent', 'reconnecting'].includes(String(sections.serial?.state)),
      outboxDiskFull: sections.outbox?.diskFull === true,
      outboxQuarantined: sections.outbox?.quarantinedTo !== undefined,
      publishRejected: sections.mqtt?.paused === true,
    };
    return HEALTH_FLAGS.filter((f) => on[f]);
  }
}

/** Waits for `p`, but no longer than `ms`. */
async function within(p: Promise<unknown>, ms: number, clock: Clock): Promise<void> {
  await Promise.race([
    p.then(
      () => undefined,
      () => undefined,
    ),
    clock.sleep(Math.max(0, ms)),
  ]);
}
