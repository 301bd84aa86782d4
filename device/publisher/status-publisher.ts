import type { Log } from '../../shared/log.js';
import { silentLog } from '../../shared/log.js';
import { encodePayload, publishOptions, type Status } from '../../shared/mqtt/contract.js';
import type { BrokerClient } from './broker-client.js';

/** What the status topic says besides `state`; the same for the whole daemon run. */
export type StatusBase = Omit<Status, 'state'>;

/**
 * The retained `status` topic: `online` on every connect, `offline` at a clean shutdown, and the same
 * `offline` as Last Will for when the daemon dies or its connection does. Payload, QoS and retain flag are
 * the contract's (shared/mqtt/contract.ts).
 */
export class StatusPublisher {
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly client: BrokerClient,
    private readonly topic: string,
    private readonly base: StatusBase,
    private readonly log: Log = silentLog,
  ) {}

  /** The Last Will, registered with the broker at connect. */
  static will(topic: string, base: StatusBase) {
    return { topic, payload: statusPayload('offline', base), ...publishOptions('status') };
  }

  payload(state: Status['state']): string {
    return statusPayload(state, this.base);
  }

  start(): void {
    this.unsubscribe = this.client.onConnect(() => {
      this.client
        .publish(this.topic, this.payload('online'), publishOptions('status'))
        .catch((err: Error) => {
          this.log.warn(
            { event: 'status.online.failed', topic: this.topic, err: err.message },
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
      await this.client.publish(this.topic, this.payload('offline'), publishOptions('status'));
    } catch (err) {
      this.log.warn(
        { event: 'status.offline.failed', topic: this.topic, err: (err as Error).message },
        'could not publish offline status; the Last Will covers it',
      );
    }
  }
}

function statusPayload(state: Status['state'], base: StatusBase): string {
  return encodePayload('status', { state, ...base });
}
