import type { Clock } from '../../shared/clock.js';
import type { Log } from '../../shared/log.js';

/**
 * Logs malformed serial input without flooding: the first bad line or frame at once, then at most one line
 * per `everyMs` with how many were skipped since. (Every one is counted in the `frames` health section.)
 */
export class BadInputLog {
  private since = 0;
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly log: Log,
    private readonly clock: Clock,
    private readonly everyMs = 10_000,
  ) {}

  bad(reason: string, bytes: number): void {
    this.since += 1;
    const now = this.clock.now();
    if (now - this.lastAt < this.everyMs) return;
    this.log.warn(
      { event: 'input.malformed', reason, bytes, skippedSinceLast: this.since },
      'malformed serial input skipped',
    );
    this.since = 0;
    this.lastAt = now;
  }
}
