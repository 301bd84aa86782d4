import { readFileSync } from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Log } from '../../shared/log.js';
import { silentLog } from '../../shared/log.js';
import { redactUrl } from '../../shared/redact-url.js';
import { backoffDelay } from '../publisher/backoff.js';
import type {
  BrokerClient,
  ConnectionInfo,
  PublishOptions,
  PublishResult,
} from '../publisher/broker-client.js';

export interface MqttClientOptions {
  url: string;
  /** `auto`: MQTT 5 first; when the broker refuses it, 3.1.1 (and back to 5 if 3.1.1 fails too). */
  protocolVersion: 4 | 5 | 'auto';
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
}

/** CONNACK codes meaning "I do not speak this protocol version" (3.1.1 and 5 numbering). */
const UNSUPPORTED_PROTOCOL = new Set([1, 0x84]);

type Pending = { reject: (err: Error) => void };

/**
 * BrokerClient over mqtt.js. Each connection attempt gets a fresh mqtt.js client with its own reconnect
 * disabled: this class owns reconnecting (forever, exponential backoff capped at reconnectMaxMs) and the
 * protocol fallback, and fails every publish still awaiting a PUBACK when a connection drops — the outbox,
 * not mqtt.js's in-memory store, is what gets replayed.
 */
export class MqttBrokerClient implements BrokerClient {
  private client: MqttClient | undefined;
  private isConnected = false;
  private ending = false;
  private attempt = 0;
  private version: 4 | 5;
  private switchedProtocol = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly pending = new Set<Pending>();
  private readonly connectListeners = new Set<(info: ConnectionInfo) => void>();
  private readonly disconnectListeners = new Set<(reason: string) => void>();
  private readonly log: Log;
  private readonly tls: Pick<IClientOptions, 'ca' | 'cert' | 'key'>;

  constructor(private readonly options: MqttClientOptions) {
    this.log = options.log ?? silentLog;
    this.version = options.protocolVersion === 4 ? 4 : 5;
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
    return this.version;
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
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    if (!client) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        client.end(true);
        resolve();
      }, timeoutMs);
      // A clean DISCONNECT: the broker drops the Last Will. Waits for in-flight acks first.
      client.end(false, {}, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.dropConnection('client ended');
  }

  private connectOnce(): void {
    this.reconnectTimer = undefined;
    const { options } = this;
    const version = this.version;
    const client = mqtt.connect(options.url, {
      protocolVersion: version,
      clientId: options.clientId,
      username: options.username,
      password: options.password,
      keepalive: options.keepalive,
      connectTimeout: options.connectTimeoutMs,
      reconnectPeriod: 0,
      clean: true,
      rejectUnauthorized: options.rejectUnauthorized,
      will: { ...options.will },
      ...this.tls,
    });
    this.client = client;
    let refusedProtocol = false;

    client.on('connect', () => {
      this.attempt = 0;
      this.switchedProtocol = false;
      this.isConnected = true;
      this.log.info(
        { event: 'mqtt.connected', url: redactUrl(options.url), protocolVersion: version },
        'connected to the MQTT broker',
      );
      for (const l of this.connectListeners) l({ protocolVersion: version });
    });
    client.on('error', (err) => {
      const code = (err as { code?: unknown }).code;
      if (typeof code === 'number' && UNSUPPORTED_PROTOCOL.has(code)) refusedProtocol = true;
      this.log.warn(
        { event: 'mqtt.connection-error', url: redactUrl(options.url), err: err.message, code },
        'MQTT connection error',
      );
    });
    client.on('close', () => {
      if (this.client !== client) return;
      const wasConnected = this.isConnected;
      this.dropConnection(this.ending ? 'client ended' : wasConnected ? 'connection lost' : 'connect failed');
      client.removeAllListeners();
      client.on('error', () => {}); // late socket errors of a discarded client
      client.end(true);
      if (this.ending) return;
      this.scheduleReconnect(wasConnected, refusedProtocol);
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
      this.log[level]({ reason, unacked: pending.length }, 'disconnected from the MQTT broker');
      for (const l of this.disconnectListeners) l(reason);
    }
  }

  private scheduleReconnect(wasConnected: boolean, refusedProtocol: boolean): void {
    let delay = wasConnected ? this.options.reconnectPeriodMs : this.nextDelay();
    if (this.options.protocolVersion === 'auto' && refusedProtocol) {
      // The broker refused the protocol version: try the other one, at once the first time.
      if (!this.switchedProtocol) delay = 0;
      this.switchedProtocol = true;
      this.version = this.version === 5 ? 4 : 5;
      this.log.info(
        { protocolVersion: this.version },
        'broker refused the MQTT version; trying the other one',
      );
    }
    this.reconnectTimer = setTimeout(() => this.connectOnce(), delay);
  }

  private nextDelay(): number {
    return backoffDelay(this.attempt++, this.options.reconnectPeriodMs, this.options.reconnectMaxMs);
  }
}
