import type { Log } from '../../shared/log.js';
import { silentLog } from '../../shared/log.js';
import type { BrokerClient } from './broker-client.js';

export interface StatusPayload {
  state: 'online' | 'offline';
  deviceId: string;
  bundleId: string;
  /** ISO time the daemon started. */
  startedAt: string;
  /** Unique per daemon start, so a consumer can tell a restart from a reconnect. */
  session: string;
}

/**
 * The retained `status` topic: `online` on every connect, `offline` at a clean shutdown, and the same
 * `offline` as Last Will for when the daemon dies or its connection does.
 */
export class StatusPublisher {
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly client: BrokerClient,
    private readonly topic: string,
    private readonly base: Omit<StatusPayload, 'state'>,
    private readonly log: Log = silentLog,
  ) {}

  /** The Last Will, registered with the broker at connect. */
  static will(topic: string, base: Omit<StatusPayload, 'state'>) {
    return { topic, payload: JSON.stringify({ state: 'offline', ...base }), qos: 1 as const, retain: true };
  }

  payload(state: StatusPayload['state']): string {
    return JSON.stringify({ state, ...this.base } satisfies StatusPayload);
  }

  start(): void {
    this.unsubscribe = this.client.onConnect(() => {
      this.client
        .publish(this.topic, this.payload('online'), { qos: 1, retain: true })
        .catch((err: Error) => {
          this.log.warn(
            { err: err.message },
            'could not publish online status; it goes again on the next connect',
          );
        });
    });
  }

  /** Publishes `offline` (retained) when connected; resolves when acknowledged or failed. */
  async offline(): Promise<void> {
    this.unsubscribe?.();
    if (!this.client.connected) return;
    try {
      await this.client.publish(this.topic, this.payload('offline'), { qos: 1, retain: true });
    } catch (err) {
      this.log.warn(
        { err: (err as Error).message },
        'could not publish offline status; the Last Will covers it',
      );
    }
  }
}
