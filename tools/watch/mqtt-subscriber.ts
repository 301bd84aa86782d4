import { readFileSync } from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import {
  type ProtocolChoice,
  protocolFallback,
  protocolName,
} from '../../device/adapters/mqtt-protocol-fallback.js';
import { ThrumError } from '../../shared/errors.js';
import { redactUrl } from '../../shared/redact-url.js';

/** One line for stderr about the connection, and what it is about as a stable name. */
export interface WatchNotice {
  event:
    | 'watch.connected'
    | 'watch.subscribe-failed'
    | 'watch.subscription-refused'
    | 'watch.protocol-fallback'
    | 'watch.connect-failed'
    | 'watch.no-answer'
    | 'watch.connection-lost';
  line: string;
}

export interface SubscriberOptions {
  url: string;
  /** `auto`: MQTT 5, and 3.1.1 when the broker refuses 5 (aedes, old brokers). */
  protocol: ProtocolChoice;
  filters: string[];
  /** With a fixed client id the session persists: the broker queues QoS 1 alerts while we are away. */
  clientId?: string;
  username?: string;
  password?: string;
  /** PEM file of the CA for mqtts:// brokers with a private CA. */
  ca?: string;
  onMessage(topic: string, payload: Buffer): void;
  /**
   * Ack after handling (a consumer that stores alerts): onMessage runs before the PUBACK is sent, so a message
   * is acked only once it is durable. If onMessage throws, no PUBACK goes out (the broker keeps the message
   * in the session and redelivers it) and onHandlerError is told. Default: ack on arrival, as watch does.
   */
  ackAfterHandling?: { onHandlerError(err: unknown): void };
  /** First word of the notice lines: `watch: connected ...` (default `watch`). */
  label?: string;
  /** One per connection change (a repeat of the same line is left out). */
  onNotice(notice: WatchNotice): void;
}

export interface Subscriber {
  close(): Promise<void>;
}

const RECONNECT_MS = 1000;
/** How long a persistent session outlives the connection (MQTT 5), seconds: a week. */
const SESSION_EXPIRY_S = 7 * 24 * 3600;

/**
 * Subscribes with QoS 1 and stays subscribed: mqtt.js reconnects every second, and every CONNACK is followed by
 * a fresh SUBSCRIBE. When the broker refuses the MQTT version the client is rebuilt for the other one
 * (device/adapters/mqtt-protocol-fallback.ts, as the daemon does).
 */
export function startSubscriber(options: SubscriberOptions): Subscriber {
  checkUrl(options.url);
  const url = redactUrl(options.url);
  const ca = options.ca ? readCa(options.ca) : undefined;
  const fallback = protocolFallback(options.protocol);
  const label = options.label ?? 'watch';
  let client: MqttClient;
  let rebuildTimer: NodeJS.Timeout | undefined;
  let lastNotice = '';
  let ever = false;
  let closing = false;
  const notice = (event: WatchNotice['event'], line: string) => {
    if (closing || line === lastNotice) return;
    lastNotice = line;
    options.onNotice({ event, line });
  };

  const connect = () => {
    rebuildTimer = undefined;
    const version = fallback.version;
    const connectOptions: IClientOptions = {
      protocolVersion: version,
      reconnectPeriod: RECONNECT_MS,
      connectTimeout: 10_000,
      resubscribe: false,
      clean: options.clientId === undefined,
      ...(options.clientId !== undefined ? { clientId: options.clientId } : {}),
      ...(options.clientId !== undefined && version === 5
        ? { properties: { sessionExpiryInterval: SESSION_EXPIRY_S } }
        : {}),
      ...(options.username !== undefined ? { username: options.username } : {}),
      ...(options.password !== undefined ? { password: options.password } : {}),
      ...(ca ? { ca } : {}),
    };
    const c = mqtt.connect(options.url, connectOptions);
    client = c;
    let up = false;
    let errored = false;
    c.on('connect', () => {
      ever = true;
      up = true;
      fallback.onConnect();
      c.subscribe(options.filters, { qos: 1 }, (err, granted) => {
        if (err) {
          notice('watch.subscribe-failed', `${label}: subscribe failed: ${err.message}`);
          return;
        }
        const refused = (granted ?? []).filter((g) => g.qos >= 0x80).map((g) => g.topic);
        if (refused.length > 0)
          notice(
            'watch.subscription-refused',
            `${label}: the broker refused the subscription to ${refused.join(', ')}`,
          );
        notice(
          'watch.connected',
          `${label}: connected to ${url} (MQTT ${protocolName(version)}), subscribed to ${options.filters.join(', ')}`,
        );
      });
    });
    const ack = options.ackAfterHandling;
    if (ack) {
      // mqtt.js sends the PUBACK only when handleMessage calls back, for MQTT 5 and 3.1.1 alike
      // (customHandleAcks would do it too, but mqtt.js ignores it under 3.1.1, the fallback protocol).
      c.handleMessage = (packet, done) => {
        try {
          options.onMessage(packet.topic, Buffer.from(packet.payload));
        } catch (err) {
          ack.onHandlerError(err);
          return; // never acked: redelivered from the session on the next connection
        }
        done();
      };
    } else c.on('message', (topic, payload) => options.onMessage(topic, payload));
    c.on('error', (err) => {
      const refusal = fallback.onError(err);
      if (refusal) {
        notice(
          'watch.protocol-fallback',
          `${label}: the broker refused MQTT ${protocolName(refusal.from)}; trying MQTT ${protocolName(refusal.to)}`,
        );
        c.removeAllListeners();
        c.on('error', () => {});
        c.end(true);
        if (refusal.retryAtOnce) connect();
        else rebuildTimer = setTimeout(connect, RECONNECT_MS);
        return;
      }
      errored = true;
      notice(
        'watch.connect-failed',
        `${label}: cannot connect to ${url}: ${err.message}; retrying every ${RECONNECT_MS / 1000} s`,
      );
    });
    // mqtt.js swallows socket errors such as ECONNREFUSED (it just retries), so a close is all we learn.
    c.on('close', () => {
      if (up) notice('watch.connection-lost', `${label}: connection to ${url} lost; reconnecting`);
      else if (!ever && !errored) {
        notice(
          'watch.no-answer',
          `${label}: cannot connect to ${url} (no answer); retrying every ${RECONNECT_MS / 1000} s`,
        );
      }
      up = false;
      errored = false;
    });
  };
  connect();

  return {
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        clearTimeout(rebuildTimer);
        // Not connected: nothing to flush, and end(false) would wait for a connection that never comes.
        client.end(!client.connected, {}, () => resolve());
      }),
  };
}

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ThrumError(
      'BAD_USAGE',
      `--mqtt '${redactUrl(url)}' is not a URL; use e.g. mqtt://localhost:1883 or mqtts://broker:8883`,
    );
  }
  if (!['mqtt:', 'mqtts:', 'ws:', 'wss:', 'tcp:', 'ssl:'].includes(parsed.protocol)) {
    throw new ThrumError(
      'BAD_USAGE',
      `--mqtt '${redactUrl(url)}': unsupported scheme ${parsed.protocol} (use mqtt://, mqtts://, ws:// or wss://)`,
    );
  }
}

function readCa(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ThrumError('BAD_USAGE', `--ca ${path}: cannot read: ${(err as Error).message}`);
  }
}
