import type { DaemonBrokerClient, DaemonPorts } from '../device/daemon/ports.js';
import type { Outbox } from '../device/outbox/outbox.js';

/** When one alert passed each probe point (performance.now() ms). */
export interface AlertTimes {
  /** `${sensorId}|${kind}|${windowEnd}`: names one alert in the outbox and on the wire. */
  key: string;
  sensorId: number;
  windowEndMs: number;
  appendStart?: number;
  appendEnd?: number;
  publishCall?: number;
  puback?: number;
}

export interface DaemonProbe {
  alerts: Map<string, AlertTimes>;
  /** Resolves at the first publish acknowledged: the daemon is connected (its retained status went out). */
  connected: Promise<void>;
  /** The same ports with the outbox and the broker client seen through the probes; build the daemon on them. */
  ports: DaemonPorts;
}

const keyOf = (sensorId: unknown, kind: unknown, windowEnd: unknown) => `${sensorId}|${kind}|${windowEnd}`;

/**
 * Measurement probes on the daemon's two ports, for the latency bench: the outbox's append (the commit) and the
 * broker client's publish (call and PUBACK). Each wrapper records performance.now() around the real call and
 * changes nothing else; the daemon built on `probe.ports` is the production one.
 */
export function probeDaemon(ports: DaemonPorts): DaemonProbe {
  const alerts = new Map<string, AlertTimes>();
  const entry = (sensorId: unknown, kind: unknown, windowEnd: unknown) => {
    const key = keyOf(sensorId, kind, windowEnd);
    let t = alerts.get(key);
    if (!t) {
      t = { key, sensorId: Number(sensorId), windowEndMs: Date.parse(String(windowEnd)) };
      alerts.set(key, t);
    }
    return t;
  };
  let connected!: () => void;
  const online = new Promise<void>((resolve) => {
    connected = resolve;
  });

  const inner = { outbox: ports.outbox, client: ports.client };
  const outbox: Outbox = {
    append(alert) {
      const start = performance.now();
      const result = inner.outbox.append(alert);
      const t = entry(alert.sensorId, alert.body.kind, alert.body.windowEnd);
      t.appendStart ??= start;
      t.appendEnd ??= performance.now();
      return result;
    },
    pending: (limit) => inner.outbox.pending(limit),
    ack: (id) => inner.outbox.ack(id),
    evict: (now) => inner.outbox.evict(now),
    depth: () => inner.outbox.depth(),
    status: () => inner.outbox.status(),
    close: () => inner.outbox.close(),
  };

  const client: DaemonBrokerClient = {
    get connected() {
      return inner.client.connected;
    },
    get protocolVersion() {
      return inner.client.protocolVersion;
    },
    start: () => inner.client.start(),
    onConnect: (listener) => inner.client.onConnect(listener),
    onDisconnect: (listener) => inner.client.onDisconnect(listener),
    end: (timeoutMs) => inner.client.end(timeoutMs),
    async publish(topic, payload, options) {
      const called = performance.now();
      const result = await inner.client.publish(topic, payload, options);
      const acked = performance.now();
      connected();
      if (topic.endsWith('/alert')) {
        const body = JSON.parse(payload) as { sensorId: string; kind: string; windowEnd: string };
        const t = entry(body.sensorId, body.kind, body.windowEnd);
        t.publishCall ??= called;
        t.puback ??= acked;
      }
      return result;
    },
  };

  return { alerts, connected: online, ports: { ...ports, outbox, client } };
}
