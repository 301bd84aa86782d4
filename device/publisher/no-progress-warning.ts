import { type Clock, systemClock, type TimerHandle } from '../../shared/clock.js';
import type { Log } from '../../shared/log.js';
import type { BrokerClient } from './broker-client.js';

// A broker that drops every CONNECT (a client id or Last Will topic it refuses, a firewall that swallows the
// handshake, a frozen broker) looks to the client like any failed attempt: it closes and retries, and logs
// nothing. This makes the silence visible: while the client is started and not connected, a warning
// `mqtt.no-progress` after 2 x connectTimeoutMs without a CONNACK, then again at doubling intervals.

export interface NoProgressOptions {
  /** mqtt.connectTimeoutMs: the first warning comes after twice this. */
  connectTimeoutMs: number;
  /** The broker URL as it may be logged (redactUrl). */
  broker: string;
  clientId: string;
  log: Log;
  clock?: Clock;
}

/** Repeated warnings are spaced at most this far apart. */
const MAX_INTERVAL_MS = 10 * 60_000;

type Watched = Pick<BrokerClient, 'onConnect' | 'onDisconnect' | 'end'> & { start(): void };

/** Adds the warning to `client` (its start and end are wrapped) and returns it. */
export function warnWithoutProgress<C extends Watched>(client: C, opts: NoProgressOptions): C {
  const clock = opts.clock ?? systemClock;
  const first = 2 * opts.connectTimeoutMs;
  let timer: TimerHandle | undefined;
  let since = 0;
  const disarm = () => {
    clock.clearTimer(timer);
    timer = undefined;
  };
  const arm = (delay: number) => {
    disarm();
    timer = clock.setTimeout(() => {
      opts.log.warn(
        {
          event: 'mqtt.no-progress',
          broker: opts.broker,
          clientId: opts.clientId,
          waitedMs: clock.now() - since,
        },
        'no CONNACK from the MQTT broker: it accepts no connection from this client; check mqtt.url, the credentials, mqtt.clientId and the broker log',
      );
      arm(Math.min(2 * delay, MAX_INTERVAL_MS));
    }, delay);
  };
  const waitFromNow = () => {
    since = clock.now();
    arm(first);
  };

  const start = client.start.bind(client);
  const end = client.end.bind(client);
  client.start = () => {
    waitFromNow();
    start();
  };
  client.end = (timeoutMs: number) => {
    disarm();
    return end(timeoutMs);
  };
  client.onConnect(() => disarm());
  client.onDisconnect(() => {
    if (timer === undefined) waitFromNow();
  });
  return client;
}
