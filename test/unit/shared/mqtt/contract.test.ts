import { describe, expect, expectTypeOf, it } from 'vitest';
import { ThrumError } from '../../../../shared/errors.js';
import {
  type Alert,
  CONTRACT_VERSION,
  DEVICE_TOPIC_KINDS,
  encodePayload,
  filterOf,
  type Health,
  isKind,
  MQTT_CONTRACT,
  type MqttPayloads,
  parseMessage,
  publishOptions,
  SENSOR_TOPIC_KINDS,
  type ThrumMessage,
  type TopicKind,
  topicOf,
} from '../../../../shared/mqtt/contract.js';
import { isoTime } from '../../../../shared/mqtt/iso-time.js';
import { Uuidv7Generator } from '../../../../shared/mqtt/uuidv7.js';

const T = Date.UTC(2025, 10, 25, 14, 0, 0);
const ids = new Uuidv7Generator();
const PREFIX = 'plant-a/thrum';
const KINDS: TopicKind[] = [...DEVICE_TOPIC_KINDS, ...SENSOR_TOPIC_KINDS];

/** One valid payload of every kind; typed by the contract, so a new kind without a sample does not compile. */
const SAMPLES: MqttPayloads = {
  status: { state: 'online', deviceId: 'pi-7', bundleId: 'b1', startedAt: isoTime(T), session: ids.next(T) },
  health: {
    deviceId: 'pi-7',
    at: isoTime(T),
    uptimeMs: 60_000,
    flags: ['serialSilent'],
    sections: { serial: { state: 'silent', bytes: 1024 }, outbox: { depth: 0, quarantinedTo: null } },
    process: { rssBytes: 80e6, heapUsedBytes: 20e6 },
  },
  alert: {
    alertId: ids.next(T),
    deviceId: 'pi-7',
    sensorId: 'fan',
    seq: 3,
    kind: 'raised',
    score: 3.2,
    threshold: 1.5,
    pValue: 0.001,
    windowStart: isoTime(T - 320),
    windowEnd: isoTime(T),
    bundleId: 'b1',
    modelVariant: 'int8',
    contributions: [{ group: 'x/spectrum', share: 0.62 }],
    historical: false,
  },
  score: { from: isoTime(T), to: isoTime(T + 10_000), count: 80, mean: 0.4, p95: 0.9, max: 1.2 },
  evicted: {
    kind: 'evicted',
    evictionId: ids.next(T),
    deviceId: 'pi-7',
    sensorId: 'fan',
    fromSeq: 4,
    toSeq: 9,
    count: 5,
    reason: 'size',
    at: isoTime(T),
  },
};

/** Per kind, ways to break the contract: a required field missing, a wrong type, a value out of range. */
const BREAKERS: { [K in TopicKind]: Array<(p: MqttPayloads[K]) => unknown> } = {
  status: [
    ({ session: _, ...rest }) => rest,
    (p) => ({ ...p, state: 'sleeping' }),
    (p) => ({ ...p, startedAt: 'yesterday' }),
  ],
  health: [
    ({ process: _, ...rest }) => rest,
    (p) => ({ ...p, flags: 'serialSilent' }),
    (p) => ({ ...p, uptimeMs: -1 }),
  ],
  alert: [
    ({ historical: _, ...rest }) => rest,
    (p) => ({ ...p, seq: 0 }),
    (p) => ({ ...p, kind: 'resolved' }),
    (p) => ({ ...p, alertId: 'f47ac10b-58cc-4372-a567-0e02b2c3d479' }), // a UUIDv4
  ],
  score: [({ max: _, ...rest }) => rest, (p) => ({ ...p, count: 0 }), (p) => ({ ...p, p95: p.max + 1 })],
  evicted: [
    ({ evictionId: _, ...rest }) => rest,
    (p) => ({ ...p, reason: 'whim' }),
    (p) => ({ ...p, count: p.toSeq - p.fromSeq + 2 }),
  ],
};

const address = { prefix: PREFIX, deviceId: 'pi-7', sensorId: 'fan' };
const isSensor = (kind: TopicKind) => MQTT_CONTRACT[kind].scope === 'sensor';

function broken<K extends TopicKind>(kind: K): unknown[] {
  return BREAKERS[kind].map((breakIt) => breakIt(SAMPLES[kind]));
}

describe('the MQTT contract', () => {
  it('maps exactly the topic kinds, under a major.minor version', () => {
    expect(Object.keys(MQTT_CONTRACT).sort()).toEqual([...KINDS].sort());
    expect(CONTRACT_VERSION).toMatch(/^\d+\.\d+$/);
  });

  it.each(KINDS)('states the %s topic pattern exactly as topicOf builds it', (kind) => {
    const placeholders = { prefix: '<prefix>', deviceId: '<deviceId>', sensorId: '<sensorId>' };
    expect(topicOf(kind, placeholders)).toBe(MQTT_CONTRACT[kind].pattern);
  });

  it.each(KINDS)(
    'round-trips %s: topicOf, encodePayload, parseMessage give kind, ids and payload back',
    (kind) => {
      const topic = topicOf(kind, address);
      const message = parseMessage(topic, Buffer.from(encodePayload(kind, SAMPLES[kind])), PREFIX);
      expect(message).toEqual({
        kind,
        topic,
        deviceId: 'pi-7',
        ...(isSensor(kind) ? { sensorId: 'fan' } : {}),
        payload: SAMPLES[kind],
      });
    },
  );

  it.each(KINDS)('refuses a %s payload that breaks the contract, naming the topic', (kind) => {
    const topic = topicOf(kind, address);
    for (const payload of broken(kind)) {
      const parse = () => parseMessage(topic, JSON.stringify(payload), PREFIX);
      expect(parse, JSON.stringify(payload)).toThrow(ThrumError);
      expect(parse).toThrow(topic);
    }
  });

  it("refuses one kind's payload on another kind's topic", () => {
    expect(() => parseMessage(topicOf('alert', address), JSON.stringify(SAMPLES.evicted), PREFIX)).toThrow(
      ThrumError,
    );
    expect(() => parseMessage(topicOf('health', address), JSON.stringify(SAMPLES.status), PREFIX)).toThrow(
      ThrumError,
    );
  });

  it('ignores topics that are not in the contract, and accepts unknown fields (a newer minor version)', () => {
    expect(parseMessage(`${PREFIX}/pi-7/fan/debug`, '{}', PREFIX)).toBeUndefined();
    expect(parseMessage('thrum/pi-7/status', JSON.stringify(SAMPLES.status), PREFIX)).toBeUndefined();
    const newer = { ...SAMPLES.alert, firmware: '2.1' };
    expect(parseMessage(topicOf('alert', address), JSON.stringify(newer), PREFIX)?.payload).toEqual(
      SAMPLES.alert,
    );
  });

  it('publishes what must not be lost at QoS 1, status retained, telemetry at QoS 0', () => {
    expect(publishOptions('alert')).toEqual({ qos: 1, retain: false });
    expect(publishOptions('evicted')).toEqual({ qos: 1, retain: false });
    expect(publishOptions('status')).toEqual({ qos: 1, retain: true });
    expect(publishOptions('score')).toEqual({ qos: 0, retain: false });
    expect(publishOptions('health')).toEqual({ qos: 0, retain: false });
  });

  it('builds subscription filters and checks ids', () => {
    expect(filterOf('alert', { prefix: 'thrum' })).toBe('thrum/+/+/alert');
    expect(filterOf('status', { prefix: 'thrum', deviceId: 'pi-7' })).toBe('thrum/pi-7/status');
    expect(filterOf('evicted', { prefix: 'thrum', sensorId: 'fan' })).toBe('thrum/+/fan/evicted');
    expect(() => topicOf('alert', { prefix: 'thrum', deviceId: 'pi/7', sensorId: 'fan' })).toThrow(
      /deviceId/,
    );
  });

  it('types each payload by its kind', () => {
    const messages = KINDS.flatMap((kind) => {
      const m = parseMessage(topicOf(kind, address), encodePayload(kind, SAMPLES[kind]), PREFIX);
      return m ? [m] : [];
    });
    const alerts = messages.filter(isKind('alert'));
    expect(alerts.map((m) => m.payload.seq)).toEqual([3]);
    expectTypeOf(alerts[0]!.payload).toEqualTypeOf<Alert>();
    expectTypeOf(alerts[0]!.sensorId).toEqualTypeOf<string>();
    expectTypeOf<Extract<ThrumMessage, { kind: 'health' }>['payload']>().toEqualTypeOf<Health>();
    expect(messages.filter(isKind('health')).map((m) => m.payload.uptimeMs)).toEqual([60_000]);
  });
});
