import { readFileSync } from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { ThrumError } from '../../shared/errors.js';
import { redactUrl } from '../../shared/redact-url.js';

export interface SubscriberOptions {
  url: string;
  /** `auto`: MQTT 5, and 3.1.1 when the broker refuses 5 (aedes, old brokers). */
  protocol: 'auto' | 4 | 5;
  filters: string[];
  /** With a fixed client id the session persists: the broker queues QoS 1 alerts while we are away. */
  clientId?: string;
  username?: string;
  password?: string;
  /** PEM file of the CA for mqtts:// brokers with a private CA. */
  ca?: string;
  onMessage(topic: string, payload: Buffer): void;
  /** One line per connection change, for stderr. */
  onNotice(line: string): void;
}

export interface Subscriber {
  close(): Promise<void>;
}

/** CONNACK return codes meaning "unsupported protocol version": 3.1.1 numbering (1) and MQTT 5 (0x84). */
const UNSUPPORTED_PROTOCOL = new Set([1, 0x84]);
const RECONNECT_MS = 1000;
/** How long a persistent session outlives the connection (MQTT 5), seconds: a week. */
const SESSION_EXPIRY_S = 7 * 24 * 3600;

/**
 * Subscribes with QoS 1 and stays subscribed: mqtt.js reconnects every second, and every CONNACK is followed by
 * a fresh SUBSCRIBE. When the broker refuses MQTT 5 the client is rebuilt for 3.1.1 (and the other way round).
 */
export function startSubscriber(options: SubscriberOptions): Subscriber {
  checkUrl(options.url);
  const ca = options.ca ? readCa(options.ca) : undefined;
  let version: 4 | 5 = options.protocol === 4 ? 4 : 5;
  let client: MqttClient;
  let lastNotice = '';
  let ever = false;
  let closing = false;
  const notice = (line: string) => {
    if (closing || line === lastNotice) return;
    lastNotice = line;
    options.onNotice(line);
  };

  const connect = () => {
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
    c.on('connect', () => {
      ever = true;
      c.subscribe(
        options.filters.map((f) => f),
        { qos: 1 },
        (err, granted) => {
          if (err) {
            notice(`watch: subscribe failed: ${err.message}`);
            return;
          }
          const refused = (granted ?? []).filter((g) => g.qos >= 0x80).map((g) => g.topic);
          if (refused.length > 0)
            notice(`watch: the broker refused the subscription to ${refused.join(', ')}`);
          notice(
            `watch: connected to ${redactUrl(options.url)} (MQTT ${version === 5 ? '5' : '3.1.1'}), subscribed to ${options.filters.join(', ')}`,
          );
        },
      );
    });
    c.on('message', (topic, payload) => options.onMessage(topic, payload));
    c.on('error', (err) => {
      const code = (err as { code?: unknown }).code;
      if (options.protocol === 'auto' && typeof code === 'number' && UNSUPPORTED_PROTOCOL.has(code)) {
        version = version === 5 ? 4 : 5;
        notice(
          `watch: the broker refused MQTT ${version === 4 ? '5' : '3.1.1'}; trying MQTT ${version === 5 ? '5' : '3.1.1'}`,
        );
        c.removeAllListeners();
        c.on('error', () => {});
        c.end(true);
        connect();
        return;
      }
      errored = true;
      notice(
        `watch: cannot connect to ${redactUrl(options.url)}: ${err.message}; retrying every ${RECONNECT_MS / 1000} s`,
      );
    });
    let up = false;
    let errored = false;
    c.on('connect', () => {
      up = true;
    });
    // mqtt.js swallows socket errors such as ECONNREFUSED (it just retries), so a close is all we learn.
    c.on('close', () => {
      if (up) notice(`watch: connection to ${redactUrl(options.url)} lost; reconnecting`);
      else if (!ever && !errored) {
        notice(
          `watch: cannot connect to ${redactUrl(options.url)} (no answer); retrying every ${RECONNECT_MS / 1000} s`,
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
