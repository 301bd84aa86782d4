import { type Observable, Subject, Subscription, takeUntil } from 'rxjs';
import type { Clock, TimerHandle } from '../../shared/clock.js';
import type { DetectorEvent } from '../../shared/detector/types.js';
import type { Log } from '../../shared/log.js';
import type { Outbox } from '../outbox/outbox.js';
import type { AlertPublisher } from '../publisher/alert-publisher.js';
import type { StatusPublisher } from '../publisher/status-publisher.js';
import type { SensorSource, SourceStatus } from '../source/sensor-source.js';
import type { AlertSink } from './alert-sink.js';
import type { DaemonBrokerClient } from './ports.js';
import type { StatusLog } from './status-log.js';
import type { Telemetry } from './telemetry.js';

/** How often the size/age bounds are applied when no alert arrives. */
const BOUNDS_SWEEP_MS = 60_000;
/** While alerts wait in RAM (full disk), how often writing them back is retried. */
const RAM_RETRY_MS = 2_000;

/** The wired parts of one daemon (see buildDaemon); the Daemon only starts and stops them. */
export interface DaemonParts {
  clock: Clock;
  log: Log;
  source: SensorSource;
  client: DaemonBrokerClient;
  outbox: Outbox;
  /** The alert pipeline (decode -> ... -> detect) over the bytes it is given. */
  pipeline(bytes$: Observable<Uint8Array>): Observable<DetectorEvent>;
  sink: AlertSink;
  publisher: AlertPublisher;
  status: StatusPublisher;
  telemetry: Telemetry;
  /** The periodic one-line `daemon.status` log. */
  statusLog: StatusLog;
  /** Told every status change of the source (the health report's `serial` section). */
  onSourceStatus(status: SourceStatus): void;
  shutdownDeadlineMs: number;
  /** Frees the inference engine at the end. */
  closeEngine(): Promise<void>;
}

export type DaemonEnd = { reason: 'input-ended' } | { reason: 'pipeline-error'; error: Error };

/**
 * One running daemon: the sensor pipeline feeding the detector, the outbox, the publisher, the retained
 * status and the QoS 0 telemetry. `start()` starts them; `stop()` shuts them down in order within
 * `shutdown.deadlineMs`: stop reading, score what is in flight, publish what can be published, close.
 */
export class Daemon {
  /** Resolves when the input ends (file, stdin) or the pipeline fails; a signal is the other way to stop. */
  readonly ended: Promise<DaemonEnd>;
  private endWith!: (end: DaemonEnd) => void;
  private readonly stopInput = new Subject<void>();
  private pipelineDone: Promise<void> = Promise.resolve();
  private subscriptions: Subscription[] = [];
  private stopping: Promise<void> | undefined;
  private finalStatus: ReturnType<StatusLog['line']> | undefined;

  constructor(private readonly parts: DaemonParts) {
    this.ended = new Promise((resolve) => {
      this.endWith = resolve;
    });
  }

  get sink(): AlertSink {
    return this.parts.sink;
  }

  get publisher(): AlertPublisher {
    return this.parts.publisher;
  }

  /**
   * The `daemon.status` line as it reads now, with what it was read from (e.g. a replay's summary); after
   * stop(), as it read just before the outbox closed.
   */
  statusLine(): ReturnType<StatusLog['line']> {
    return this.finalStatus ?? this.parts.statusLog.line();
  }

  start(): void {
    const { parts } = this;
    this.subscriptions.push(parts.source.state$.subscribe((s) => parts.onSourceStatus(s)));
    parts.status.start();
    parts.publisher.start();
    parts.client.start();
    parts.telemetry.start();
    parts.statusLog.start();
    this.pipelineDone = new Promise((resolve) => {
      const events$ = parts.pipeline(parts.source.chunks$.pipe(takeUntil(this.stopInput)));
      this.subscriptions.push(
        events$.subscribe({
          next: (event) => parts.sink.accept(event),
          error: (error: Error) => {
            parts.log.error({ event: 'pipeline.failed', err: error.message }, 'sensor pipeline failed');
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
    const { clock, outbox, sink } = parts;
    let lastSweep = clock.now();
    const sweep = clock.setInterval(() => {
      const now = clock.now();
      if (now - lastSweep < BOUNDS_SWEEP_MS && outbox.status().ramBuffered === 0) return;
      lastSweep = now;
      sink.applyBounds(now);
    }, RAM_RETRY_MS);
    this.subscriptions.push(new Subscription(() => clock.clearTimer(sweep)));
  }

  /** Graceful stop within shutdown.deadlineMs; safe to call more than once. */
  stop(reason: string): Promise<void> {
    this.stopping ??= this.shutdown(reason);
    return this.stopping;
  }

  private async shutdown(reason: string): Promise<void> {
    const { clock, log, outbox, client, publisher, shutdownDeadlineMs } = this.parts;
    const deadline = clock.now() + shutdownDeadlineMs;
    const left = () => Math.max(0, deadline - clock.now());
    log.info({ event: 'daemon.stopping', reason, deadlineMs: shutdownDeadlineMs }, 'stopping');

    // 1. Stop reading; the operators flush: partial batches are scored, their alerts committed.
    this.stopInput.next();
    await within(this.pipelineDone, left() / 2, clock);
    for (const s of this.subscriptions) s.unsubscribe();
    this.parts.telemetry.stop();
    this.parts.statusLog.stop();

    // 2. Publish what can be published while the deadline allows (the rest waits in the outbox).
    const reserve = Math.min(1000, shutdownDeadlineMs / 4);
    while (outbox.depth() > 0 && client.connected && left() > reserve) {
      await within(publisher.idle(), left() - reserve, clock);
      if (outbox.depth() > 0) await clock.sleep(Math.min(20, left()));
    }
    await publisher.stop(0);

    // 3. Say goodbye (retained offline), disconnect cleanly, close the files.
    await within(this.parts.status.offline(), left() / 2, clock);
    await client.end(Math.max(100, left()));
    const pending = outbox.depth();
    this.finalStatus = this.parts.statusLog.line();
    outbox.close();
    await this.parts.closeEngine().catch(() => {});
    log.info(
      { event: 'daemon.stopped', reason, pendingInOutbox: pending, alerts: this.parts.sink.counters },
      'stopped',
    );
  }
}

/** Waits for `p`, but no longer than `ms`; the timer goes as soon as `p` settles. */
async function within(p: Promise<unknown>, ms: number, clock: Clock): Promise<void> {
  let timer: TimerHandle | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = clock.setTimeout(resolve, Math.max(0, ms));
  });
  await Promise.race([
    p.then(
      () => undefined,
      () => undefined,
    ),
    timeout,
  ]);
  clock.clearTimer(timer);
}
