import { readFileSync } from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { type Clock, systemClock, type TimerHandle } from '../../shared/clock.js';
import { type Log, silentLog } from '../../shared/log.js';
import { redactUrl } from '../../shared/redact-url.js';
import { backoffDelay } from '../backoff.js';
import type {
  BrokerClient,
  ConnectionInfo,
  PublishOptions,
  PublishResult,
} from '../publisher/broker-client.js';
import {
  type ProtocolChoice,
  type ProtocolFallback,
  type ProtocolSwitch,
  protocolFallback,
} from './mqtt-protocol-fallback.js';

export interface MqttClientOptions {
  url: string;
  /** `auto`: MQTT 5 first; when the broker refuses it, 3.1.1 (and back to 5 if 3.1.1 fails too). */
  protocolVersion: ProtocolChoice;
  clientId: string;
  username?: string;
  password?: string;
  /** PEM file paths. */
  ca?: string;
  cert?: string;
  key?: string;
  rejectUnauthorized: boolean;
  /** Seconds. */
  keepalive: number;
  connectTimeoutMs: number;
  reconnectPeriodMs: number;
  reconnectMaxMs: number;
  will: { topic: string; payload: string; qos: 0 | 1; retain: boolean };
  log?: Log;
  /** Timers for reconnecting, the connect timeout, the end() timeout and MQTT keepalive (default: real time). */
  clock?: Clock;
}

/** The largest delay setTimeout takes; mqtt.js's own CONNACK timer cannot be turned off, only pushed out. */
const NEVER_MS = 2 ** 31 - 1;

type Pending = { reject: (err: Error) => void };

/**
 * BrokerClient over mqtt.js. Each connection attempt gets a fresh mqtt.js client with its own reconnect
 * disabled: this class owns reconnecting (forever, exponential backoff capped at reconnectMaxMs), the connect
 * timeout and the protocol fallback (mqtt-protocol-fallback.ts), and fails every publish still awaiting a
 * PUBACK when a connection drops — the outbox, not mqtt.js's in-memory store, is what gets replayed.
 */
export class MqttBrokerClient implements BrokerClient {
  private client: MqttClient | undefined;
  private isConnected = false;
  private ending = false;
  private attempt = 0;
  private readonly fallback: ProtocolFallback;
  private reconnectTimer: TimerHandle | undefined;
  private readonly pending = new Set<Pending>();
  private readonly connectListeners = new Set<(info: ConnectionInfo) => void>();
  private readonly disconnectListeners = new Set<(reason: string) => void>();
  private readonly log: Log;
  private readonly clock: Clock;
  private readonly url: string;
  private readonly tls: Pick<IClientOptions, 'ca' | 'cert' | 'key'>;

  constructor(private readonly options: MqttClientOptions) {
    this.log = options.log ?? silentLog;
    this.clock = options.clock ?? systemClock;
    this.url = redactUrl(options.url);
    this.fallback = protocolFallback(options.protocolVersion);
    // Read once at start: a missing file is a config error (checked before), not a reconnect-time surprise.
    this.tls = {
      ...(options.ca ? { ca: readFileSync(options.ca) } : {}),
      ...(options.cert ? { cert: readFileSync(options.cert) } : {}),
      ...(options.key ? { key: readFileSync(options.key) } : {}),
    };
  }

  get connected(): boolean {
    return this.isConnected;
  }

  get protocolVersion(): 4 | 5 {
    return this.fallback.version;
  }

  start(): void {
    this.ending = false;
    this.connectOnce();
  }

  onConnect(listener: (info: ConnectionInfo) => void): () => void {
    this.connectListeners.add(listener);
    return () => this.connectListeners.delete(listener);
  }

  onDisconnect(listener: (reason: string) => void): () => void {
    this.disconnectListeners.add(listener);
    return () => this.disconnectListeners.delete(listener);
  }

  publish(topic: string, payload: string, options: PublishOptions): Promise<PublishResult> {
    const client = this.client;
    if (!this.isConnected || !client) return Promise.reject(new Error('not connected to the broker'));
    return new Promise((resolve, reject) => {
      const entry: Pending = { reject };
      this.pending.add(entry);
      client.publish(topic, payload, { qos: options.qos, retain: options.retain ?? false }, (err, packet) => {
        if (!this.pending.delete(entry)) return; // the connection dropped first; already rejected
        const code = (err as { code?: unknown } | undefined)?.code;
        // mqtt.js reports any non-zero PUBACK reason as an error; the publisher judges it (< 0x80 is success).
        if (err && typeof code === 'number') resolve({ reasonCode: code });
        else if (err) reject(err);
        else resolve({ reasonCode: (packet as { reasonCode?: number } | undefined)?.reasonCode ?? 0 });
      });
    });
  }

  async end(timeoutMs: number): Promise<void> {
    this.ending = true;
    this.clock.clearTimer(this.reconnectTimer);
    const client = this.client;
    if (!client) return;
    await new Promise<void>((resolve) => {
      const timer = this.clock.setTimeout(() => {
        client.end(true);
        resolve();
      }, timeoutMs);
      // A clean DISCONNECT: the broker drops the Last Will. Waits for in-flight acks first.
      client.end(false, {}, () => {
        this.clock.clearTimer(timer);
        resolve();
      });
    });
    this.dropConnection('client ended');
  }

  private connectOnce(): void {
    this.reconnectTimer = undefined;
    const { options, clock, url } = this;
    const version = this.fallback.version;
    const client = mqtt.connect(options.url, {
      protocolVersion: version,
      clientId: options.clientId,
      username: options.username,
      password: options.password,
      keepalive: options.keepalive,
      connectTimeout: NEVER_MS,
      reconnectPeriod: 0,
      clean: true,
      rejectUnauthorized: options.rejectUnauthorized,
      will: { ...options.will },
      // mqtt.js takes any {set, clear} interval pair for its keepalive pings.
      timerVariant: {
        set: (fn: () => void, ms: number) => clock.setInterval(fn, ms),
        clear: (handle: TimerHandle) => clock.clearTimer(handle),
      } as unknown as IClientOptions['timerVariant'],
      ...this.tls,
    });
    this.client = client;
    let refusal: ProtocolSwitch | undefined;
    const connectTimer = clock.setTimeout(() => {
      this.log.warn(
        { event: 'mqtt.connect-timeout', url, timeoutMs: options.connectTimeoutMs },
        'no CONNACK from the MQTT broker in time',
      );
      client.end(true);
    }, options.connectTimeoutMs);

    client.on('connect', () => {
      clock.clearTimer(connectTimer);
      this.attempt = 0;
      this.fallback.onConnect();
      this.isConnected = true;
      this.log.info(
        { event: 'mqtt.connected', url, protocolVersion: version },
        'connected to the MQTT broker',
      );
      for (const l of this.connectListeners) l({ protocolVersion: version });
    });
    client.on('error', (err) => {
      const code = (err as { code?: unknown }).code;
      this.log.warn({ event: 'mqtt.connection-error', url, err: err.message, code }, 'MQTT connection error');
      if (refusal) return;
      refusal = this.fallback.onError(err);
      if (refusal)
        this.log.info(
          { event: 'mqtt.protocol-fallback', protocolVersion: refusal.to },
          'broker refused the MQTT version; trying the other one',
        );
    });
    client.on('close', () => {
      if (this.client !== client) return;
      clock.clearTimer(connectTimer);
      const wasConnected = this.isConnected;
      this.dropConnection(this.ending ? 'client ended' : wasConnected ? 'connection lost' : 'connect failed');
      client.removeAllListeners();
      client.on('error', () => {}); // late socket errors of a discarded client
      client.end(true);
      if (this.ending) return;
      this.scheduleReconnect(wasConnected, refusal);
    });
  }

  private dropConnection(reason: string): void {
    const wasConnected = this.isConnected;
    this.isConnected = false;
    const pending = [...this.pending];
    this.pending.clear();
    for (const p of pending) p.reject(new Error(`${reason} before the broker acknowledged`));
    if (wasConnected) {
      const level = this.ending ? 'info' : 'warn';
      this.log[level](
        { event: 'mqtt.disconnected', reason, unacked: pending.length },
        'disconnected from the MQTT broker',
      );
      for (const l of this.disconnectListeners) l(reason);
    }
  }

  private scheduleReconnect(wasConnected: boolean, refusal: ProtocolSwitch | undefined): void {
    let delay = wasConnected ? this.options.reconnectPeriodMs : this.nextDelay();
    if (refusal?.retryAtOnce) delay = 0;
    this.reconnectTimer = this.clock.setTimeout(() => this.connectOnce(), delay);
  }

  private nextDelay(): number {
    const { reconnectPeriodMs, reconnectMaxMs } = this.options;
    return backoffDelay(
      { initialMs: reconnectPeriodMs, maxMs: reconnectMaxMs, factor: 2, jitter: 0.2 },
      this.attempt++,
    );
  }
}
