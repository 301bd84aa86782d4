import type { Clock } from '../../shared/clock.js';
import type { DetectorEvent } from '../../shared/detector/types.js';
import type { Log } from '../../shared/log.js';
import { failpoint } from '../failpoint.js';
import type { Outbox } from '../outbox/outbox.js';
import { type AlertContext, alertBody } from '../publisher/payloads.js';

export interface AlertSinkCounters {
  raised: number;
  cleared: number;
  /**
   * Alerts the outbox threw on. A storage fault does not count here (the outbox holds the alert in RAM and
   * says so in its status); what is left is a closed outbox or a bug. Each is logged with its payload.
   */
  appendFailures: number;
  evictionRecords: number;
}

/**
 * Detector events -> outbox. The alert is committed before anything else happens to it; only then is the
 * publisher told. After each append the outbox bounds are applied (cheap when within them).
 */
export class AlertSink {
  readonly counters: AlertSinkCounters = { raised: 0, cleared: 0, appendFailures: 0, evictionRecords: 0 };

  constructor(
    private readonly outbox: Outbox,
    private readonly ctx: AlertContext,
    private readonly clock: Clock,
    private readonly notify: () => void,
    private readonly log: Log,
  ) {}

  accept(event: DetectorEvent): void {
    const body = alertBody(event, this.ctx);
    const now = this.clock.now();
    try {
      const { alertId, seq } = this.outbox.append({ sensorId: event.sensorId, createdAt: now, body });
      failpoint('after-commit-before-publish');
      this.counters[event.kind] += 1;
      this.log.info(
        {
          event: 'alert.committed',
          alertId,
          seq,
          sensorId: event.sensorId,
          kind: event.kind,
          score: event.score,
          threshold: event.threshold,
        },
        `alert ${event.kind}`,
      );
    } catch (err) {
      // Not silently dropped: counted, and the whole alert is in the log line.
      this.counters.appendFailures += 1;
      this.log.error(
        { event: 'alert.append-failed', err: (err as Error).message, alert: body },
        'outbox append failed; alert not stored',
      );
      return;
    }
    this.applyBounds(now);
    this.notify();
  }

  applyBounds(now: number): void {
    try {
      const records = this.outbox.evict(now);
      this.counters.evictionRecords += records.length;
    } catch (err) {
      this.log.error({ event: 'outbox.evict-failed', err: (err as Error).message }, 'outbox eviction failed');
    }
  }
}
