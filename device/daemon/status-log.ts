import type { ModelVariant } from '../../shared/bundle/manifest.js';
import type { Clock, TimerHandle } from '../../shared/clock.js';
import { formatScore } from '../../shared/format-score.js';
import type { Log } from '../../shared/log.js';

/** What the periodic status line says, read from the daemon's counters when it is due. */
export interface StatusReading {
  /** Windows scored since the start (a counter: the line shows its rate). */
  scored: number;
  lastScore: number | undefined;
  threshold: number;
  variant: ModelVariant;
  raised: number;
  cleared: number;
  outboxPending: number;
  brokerConnected: boolean;
  /** Set when a sensor's received sample rate is off (see SampleRateMonitor). */
  rateMismatch?: { measuredHz: number; expectedHz: number };
}

/** `scoring 6.2 windows/s, last score 0.83 (threshold 1.46, int8), alerts raised 1, outbox 0 pending, broker connected` */
export function statusText(r: StatusReading, windowsPerSecond: number): string {
  const last = r.lastScore === undefined ? 'no score yet' : `last score ${formatScore(r.lastScore)}`;
  const parts = [
    `scoring ${windowsPerSecond.toFixed(1)} windows/s`,
    `${last} (threshold ${formatScore(r.threshold)}, ${r.variant})`,
    `alerts raised ${r.raised}${r.cleared > 0 ? `, cleared ${r.cleared}` : ''}`,
    `outbox ${r.outboxPending} pending`,
    r.brokerConnected ? 'broker connected' : 'broker disconnected',
  ];
  if (r.rateMismatch) {
    parts.push(
      `receiving ${Math.round(r.rateMismatch.measuredHz)} Hz, expected ${r.rateMismatch.expectedHz} Hz`,
    );
  }
  return parts.join(', ');
}

/** The one-line `daemon.status` log every `status.intervalMs`: what an operator at a terminal wants to see. */
export class StatusLog {
  private timer: TimerHandle | undefined;
  private last: { at: number; scored: number } | undefined;

  constructor(
    private readonly read: () => StatusReading,
    private readonly intervalMs: number,
    private readonly clock: Clock,
    private readonly log: Log,
  ) {}

  start(): void {
    this.last = { at: this.clock.now(), scored: this.read().scored };
    this.timer = this.clock.setInterval(() => this.report(), this.intervalMs);
  }

  stop(): void {
    this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  /** The status now, with the scoring rate since the previous report (or the start). */
  line(): { text: string; reading: StatusReading; windowsPerSecond: number } {
    const reading = this.read();
    const now = this.clock.now();
    const since = this.last ?? { at: now, scored: reading.scored };
    const seconds = (now - since.at) / 1000;
    const windowsPerSecond = seconds > 0 ? (reading.scored - since.scored) / seconds : 0;
    return { text: statusText(reading, windowsPerSecond), reading, windowsPerSecond };
  }

  private report(): void {
    const { text, reading, windowsPerSecond } = this.line();
    this.last = { at: this.clock.now(), scored: reading.scored };
    this.log.info(
      {
        event: 'daemon.status',
        windowsPerSecond: Math.round(windowsPerSecond * 10) / 10,
        lastScore: reading.lastScore,
        threshold: reading.threshold,
        variant: reading.variant,
        raised: reading.raised,
        outboxPending: reading.outboxPending,
        brokerConnected: reading.brokerConnected,
      },
      text,
    );
  }
}
