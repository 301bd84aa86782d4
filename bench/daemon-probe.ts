import { MqttBrokerClient } from '../device/adapters/mqtt-client.js';
import { SqliteOutbox } from '../device/adapters/sqlite-outbox.js';

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
  undo(): void;
}

const keyOf = (sensorId: unknown, kind: unknown, windowEnd: unknown) => `${sensorId}|${kind}|${windowEnd}`;

/**
 * Measurement probes on the daemon's two adapters, for the latency bench: SqliteOutbox.append (the commit) and
 * MqttBrokerClient.publish (call and PUBACK). Each wrapper records performance.now() around the original call
 * and changes nothing else; product code is untouched. Affects every instance in this process until undo().
 */
export function probeDaemon(): DaemonProbe {
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

  const outbox = SqliteOutbox.prototype;
  const append = outbox.append;
  outbox.append = function probedAppend(this: SqliteOutbox, alert) {
    const start = performance.now();
    const result = append.call(this, alert);
    const t = entry(alert.sensorId, alert.body.kind, alert.body.windowEnd);
    t.appendStart ??= start;
    t.appendEnd ??= performance.now();
    return result;
  };

  const client = MqttBrokerClient.prototype;
  const publish = client.publish;
  client.publish = async function probedPublish(this: MqttBrokerClient, topic, payload, options) {
    const called = performance.now();
    const result = await publish.call(this, topic, payload, options);
    const acked = performance.now();
    connected();
    if (topic.endsWith('/alert')) {
      const body = JSON.parse(payload) as { sensorId: string; kind: string; windowEnd: string };
      const t = entry(body.sensorId, body.kind, body.windowEnd);
      t.publishCall ??= called;
      t.puback ??= acked;
    }
    return result;
  };

  return {
    alerts,
    connected: online,
    undo() {
      outbox.append = append;
      client.publish = publish;
    },
  };
}
