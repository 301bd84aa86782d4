// What `thrum collect` does with one received message: validate it against the contract, store it once by
// its id, and say what to print. Runs inside the PUBACK path (see mqtt-subscriber.ts ackAfterHandling), so a
// store error is thrown, never swallowed: an alert that is not on disk must not be acked.
import { ThrumError } from '../../shared/errors.js';
import { parseMessage } from '../../shared/mqtt/contract.js';
import { formatScore } from '../watch/format-values.js';
import type { AlertStore } from './alert-store.js';

export type CollectLine =
  | { stream: 'out'; line: string }
  | { stream: 'err'; event: 'collect.malformed-message' | 'collect.foreign-topic'; line: string };

export interface CollectCounters {
  stored: number;
  duplicates: number;
  evicted: number;
  malformed: number;
}

export class Collector {
  readonly counters: CollectCounters = { stored: 0, duplicates: 0, evicted: 0, malformed: 0 };

  constructor(
    private readonly store: AlertStore,
    private readonly prefix: string,
    private readonly now: () => number,
  ) {}

  handle(topic: string, payload: Uint8Array | string): CollectLine[] {
    let message: ReturnType<typeof parseMessage>;
    try {
      message = parseMessage(topic, payload, this.prefix);
    } catch (err) {
      if (!(err instanceof ThrumError)) throw err;
      // Acked and dropped: a payload that breaks the contract will not get better by redelivery.
      this.counters.malformed++;
      return [
        {
          stream: 'err',
          event: 'collect.malformed-message',
          line: `warning: skipped a malformed message: ${err.message}`,
        },
      ];
    }
    const receivedAt = new Date(this.now()).toISOString();
    if (message?.kind === 'alert') {
      const a = message.payload;
      if (!this.store.addAlert(a, receivedAt)) {
        this.counters.duplicates++;
        return [];
      }
      this.counters.stored++;
      const replayed = a.historical ? ' (replayed)' : '';
      return [
        {
          stream: 'out',
          line: `${a.windowEnd}  ${a.deviceId}/${a.sensorId}  ${a.kind.toUpperCase()} #${a.seq}  score ${formatScore(a.score)}${replayed}  ${a.alertId}`,
        },
      ];
    }
    if (message?.kind === 'evicted') {
      const e = message.payload;
      if (!this.store.addEvicted(e, receivedAt)) return [];
      this.counters.evicted++;
      return [
        {
          stream: 'out',
          line: `${e.at}  ${e.deviceId}/${e.sensorId}  EVICTED #${e.fromSeq}..${e.toSeq} (${e.count}, ${e.reason})`,
        },
      ];
    }
    return [
      {
        stream: 'err',
        event: 'collect.foreign-topic',
        line: `warning: skipped a message on ${topic}: not an alert or evicted topic`,
      },
    ];
  }
}
