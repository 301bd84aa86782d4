import type { Clock, TimerHandle } from '../../shared/clock.js';
import type { Log } from '../../shared/log.js';
import { silentLog } from '../../shared/log.js';
import { backoffDelay } from '../backoff.js';
import { failpoint } from '../failpoint.js';
import type { Outbox, OutboxEntry } from '../outbox/outbox.js';
import { type BrokerClient, isSuccess } from './broker-client.js';
import { entryPublishOptions } from './payloads.js';
import { TokenBucket } from './token-bucket.js';

export interface AlertPublisherOptions {
  outbox: Outbox;
  client: BrokerClient;
  clock: Clock;
  topicFor(entry: OutboxEntry): string;
  payloadFor(entry: OutboxEntry, historical: boolean): string;
  /** Publishes per second, for replays after a reconnect (live alerts rarely come close). */
  replayRatePerSec: number;
  /** Entries older than this at publish time carry `historical: true`. */
  historicalAfterMs: number;
  /** QoS 1 publishes awaiting PUBACK at once; they go out (and are acked) in outbox order. */
  maxInFlight?: number;
  /** First wait after the broker rejects a publish (reason code >= 0x80); doubles up to rejectRetryMaxMs. */
  rejectRetryMs?: number;
  rejectRetryMaxMs?: number;
  log?: Log;
  /** Called after an entry's PUBACK removed it from the outbox. */
  onAcked?(entry: OutboxEntry, ackedAt: number): void;
}

export interface PublisherCounters {
  /** QoS 1 publishes sent (replays and retries included). */
  sent: number;
  acked: number;
  /** PUBACKs with a failure reason code; the entry stayed in the outbox. */
  rejected: number;
  /** Publishes cut off by a lost connection; the entry stayed in the outbox. */
  interrupted: number;
  /** Published with historical: true. */
  historical: number;
  inFlight: number;
  lastReasonCode?: number;
}

const BATCH = 64;

/**
 * Moves outbox entries to the broker in order: publish QoS 1, delete on a successful PUBACK. Runs on every
 * (re)connect and on every `notify()` (a new alert was appended); anything not acked stays in the outbox and
 * goes again on the next run. A rejected publish pauses the queue (order is kept) and retries with backoff.
 */
export class AlertPublisher {
  readonly counters: PublisherCounters = {
    sent: 0,
    acked: 0,
    rejected: 0,
    interrupted: 0,
    historical: 0,
    inFlight: 0,
  };
  private readonly log: Log;
  private readonly bucket: TokenBucket;
  private readonly maxInFlight: number;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private rejectedInARow = 0;
  private pausedUntil = 0;
  private retryTimer: TimerHandle | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: AlertPublisherOptions) {
    this.log = options.log ?? silentLog;
    this.bucket = new TokenBucket(options.replayRatePerSec);
    this.maxInFlight = options.maxInFlight ?? 8;
  }

  start(): void {
    this.unsubscribe = this.options.client.onConnect(() => {
      this.pausedUntil = 0;
      this.notify();
    });
    this.notify();
  }

  /** Something was appended (or the broker is back): publish what is pending. */
  notify(): void {
    if (this.stopped || !this.options.client.connected) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /** True while the queue waits after a rejected publish. */
  get paused(): boolean {
    return this.options.clock.now() < this.pausedUntil;
  }

  /** Resolves when nothing is being published (or right away when idle). */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** Stops starting new publishes; waits for the ones in flight up to `deadlineMs`. */
  async stop(deadlineMs: number): Promise<void> {
    this.unsubscribe?.();
    this.options.clock.clearTimer(this.retryTimer);
    const done = this.idle();
    this.stopped = true;
    await Promise.race([done, this.options.clock.sleep(deadlineMs)]);
  }

  /** Drains pending entries, then keeps going while notify() asked for more. */
  private async loop(): Promise<void> {
    do {
      this.again = false;
      await this.drain();
    } while (
      this.again &&
      !this.stopped &&
      this.options.client.connected &&
      this.options.clock.now() >= this.pausedUntil
    );
  }

  private async drain(): Promise<void> {
    const { outbox, client, clock } = this.options;
    while (!this.stopped && client.connected && clock.now() >= this.pausedUntil) {
      const batch = outbox.pending(BATCH);
      if (batch.length === 0) return;
      const inFlight = new Set<Promise<boolean>>();
      let ok = true;
      for (const entry of batch) {
        const wait = this.bucket.reserve(clock.now());
        if (wait > 0) await clock.sleep(wait);
        while (inFlight.size >= this.maxInFlight) await Promise.race(inFlight);
        if (!ok || this.stopped || !client.connected) break;
        const p = this.publishOne(entry).then((acked) => {
          inFlight.delete(p);
          if (!acked) ok = false;
          return acked;
        });
        inFlight.add(p);
      }
      await Promise.all(inFlight);
      if (!ok) return;
    }
  }

  /** True when the entry was acked and removed; false when it stays for a later attempt. */
  private async publishOne(entry: OutboxEntry): Promise<boolean> {
    const { client, clock, outbox } = this.options;
    const historical = clock.now() - entry.createdAt > this.options.historicalAfterMs;
    const topic = this.options.topicFor(entry);
    this.counters.sent += 1;
    this.counters.inFlight += 1;
    try {
      const { reasonCode } = await client.publish(
        topic,
        this.options.payloadFor(entry, historical),
        entryPublishOptions(entry),
      );
      this.counters.lastReasonCode = reasonCode;
      if (!isSuccess(reasonCode)) {
        this.onRejected(entry, topic, reasonCode);
        return false;
      }
      failpoint('after-puback-before-delete');
      outbox.ack(entry.id);
      this.rejectedInARow = 0;
      this.counters.acked += 1;
      if (historical) this.counters.historical += 1;
      this.options.onAcked?.(entry, clock.now());
      return true;
    } catch (err) {
      this.counters.interrupted += 1;
      this.log.debug(
        { event: 'publish.interrupted', id: entry.id, err: (err as Error).message },
        'publish interrupted; the entry stays in the outbox',
      );
      return false;
    } finally {
      this.counters.inFlight -= 1;
    }
  }

  private onRejected(entry: OutboxEntry, topic: string, reasonCode: number): void {
    const { clock } = this.options;
    this.counters.rejected += 1;
    const delay = backoffDelay(
      {
        initialMs: this.options.rejectRetryMs ?? 5000,
        maxMs: this.options.rejectRetryMaxMs ?? 60_000,
        factor: 2,
        jitter: 0.2,
      },
      this.rejectedInARow++,
    );
    this.pausedUntil = clock.now() + delay;
    this.log.warn(
      {
        event: 'publish.rejected',
        id: entry.id,
        topic,
        reasonCode: `0x${reasonCode.toString(16)}`,
        retryInMs: delay,
      },
      'broker rejected a publish; the entry stays in the outbox and the queue retries after a pause',
    );
    clock.clearTimer(this.retryTimer);
    this.retryTimer = clock.setTimeout(() => this.notify(), delay);
  }
}
