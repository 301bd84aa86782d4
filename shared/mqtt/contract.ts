// thrum's MQTT interface as one typed map (in the spirit of zigbee2mqtt's lib/types/api.ts): for every kind of
// topic its pattern, its payload schema (and so its TypeScript type), QoS and retain flag. The daemon publishes
// through it, `thrum watch`, the demo and the tests read through it, and docs/mqtt.md documents it (a test
// checks that every kind, every field and every QoS/retain flag there matches this file).
//
// Changing a topic or a payload here changes a public interface: bump CONTRACT_VERSION as docs/mqtt.md
// ("Compatibility") says, and update docs/mqtt.md in the same commit.
import type { z } from 'zod';
import { ThrumError } from '../errors.js';
import { zodErrorMessage } from '../zod-errors.js';
import { alertSchema } from './alert.js';
import { evictedSchema } from './evicted.js';
import { healthSchema } from './health.js';
import { scoreSummarySchema } from './score-summary.js';
import { statusSchema } from './status.js';
import {
  DEFAULT_TOPIC_PREFIX,
  type ParsedTopic,
  parseTopic,
  type SensorTopicKind,
  type TopicKind,
  topicFilter,
  topicPath,
} from './topics.js';

export type { DeviceTopicKind, SensorTopicKind, TopicKind } from './topics.js';
export { DEFAULT_TOPIC_PREFIX, DEVICE_TOPIC_KINDS, SENSOR_TOPIC_KINDS } from './topics.js';

/**
 * Version of the topics and payloads below, `major.minor`. Minor: additions old consumers can ignore (a new
 * optional field, health section or flag, a new topic kind). Major: anything that can break a consumer (a field
 * removed, renamed or retyped, a topic or QoS changed). Not on the wire: it is what docs/mqtt.md promises.
 */
export const CONTRACT_VERSION = '1.1';

/** The topic pattern of each kind: device kinds have no sensor level. */
type PatternOf<K extends TopicKind> = K extends SensorTopicKind
  ? { scope: 'sensor'; pattern: `<prefix>/<deviceId>/<sensorId>/${K}` }
  : { scope: 'device'; pattern: `<prefix>/<deviceId>/${K}` };

interface TopicSpec {
  /** One line for docs and errors. */
  summary: string;
  schema: z.ZodType;
  qos: 0 | 1;
  retain: boolean;
}

/** Topic kind -> pattern, payload schema, QoS, retain. The payload types follow (MqttPayloads). */
export const MQTT_CONTRACT = {
  status: {
    scope: 'device',
    pattern: '<prefix>/<deviceId>/status',
    summary: '`online` on every connect; `offline` at a clean stop and as the Last Will',
    schema: statusSchema,
    qos: 1,
    retain: true,
  },
  health: {
    scope: 'device',
    pattern: '<prefix>/<deviceId>/health',
    summary: 'periodic counters and flags of every module',
    schema: healthSchema,
    qos: 0,
    retain: false,
  },
  alert: {
    scope: 'sensor',
    pattern: '<prefix>/<deviceId>/<sensorId>/alert',
    summary: 'an anomaly raised or cleared, committed to the outbox before it is published',
    schema: alertSchema,
    qos: 1,
    retain: false,
  },
  score: {
    scope: 'sensor',
    pattern: '<prefix>/<deviceId>/<sensorId>/score',
    summary: 'periodic digest of the window scores',
    schema: scoreSummarySchema,
    qos: 0,
    retain: false,
  },
  evicted: {
    scope: 'sensor',
    pattern: '<prefix>/<deviceId>/<sensorId>/evicted',
    summary: 'unpublished alerts the bounded outbox had to drop',
    schema: evictedSchema,
    qos: 1,
    retain: false,
  },
} as const satisfies { [K in TopicKind]: TopicSpec & PatternOf<K> };

export type MqttContract = typeof MQTT_CONTRACT;

/** Topic kind -> payload type, e.g. `MqttPayloads['alert']` is the alert payload. */
export type MqttPayloads = { [K in TopicKind]: z.infer<MqttContract[K]['schema']> };
export type PayloadOf<K extends TopicKind> = MqttPayloads[K];

export type { Alert, Contribution } from './alert.js';
export type { Evicted } from './evicted.js';
export type { Health, HealthFlag } from './health.js';
export type { ScoreSummary } from './score-summary.js';
export type { Status } from './status.js';

/** The ids a topic of kind K carries. */
export type TopicIds<K extends TopicKind> = K extends SensorTopicKind
  ? { deviceId: string; sensorId: string }
  : { deviceId: string };

/** Where a message of kind K goes: the prefix (`thrum`, `plant-a/thrum`) and the ids. */
export type TopicAddress<K extends TopicKind> = { prefix: string } & TopicIds<K>;

/** A received message of kind K: its topic, the ids the topic names, its validated payload. */
export type MessageOf<K extends TopicKind> = { kind: K; topic: string; payload: PayloadOf<K> } & TopicIds<K>;

/** What parseMessage returns: a message of any kind, discriminated by `kind`. */
export type ThrumMessage = { [K in TopicKind]: MessageOf<K> }[TopicKind];

/**
 * A type guard for one kind: `messages.filter(isKind('alert'))` is a list of alert messages. (The intersection
 * keeps it valid in generic code, where K is not known yet; for a known K it is just MessageOf<K>.)
 */
export function isKind<K extends TopicKind>(kind: K): (m: ThrumMessage) => m is ThrumMessage & MessageOf<K> {
  return (m): m is ThrumMessage & MessageOf<K> => m.kind === kind;
}

/** The topic a message of `kind` is published on, e.g. `topicOf('alert', {prefix, deviceId, sensorId})`. */
export function topicOf<K extends TopicKind>(kind: K, address: TopicAddress<K>): string {
  const { prefix, ...ids }: { prefix: string; deviceId: string; sensorId?: string } = address;
  return topicPath(prefix, kind, ids);
}

/** A subscription filter for `kind`; omitted ids match everything (`thrum/+/+/alert`). */
export function filterOf(
  kind: TopicKind,
  address: { prefix: string; deviceId?: string; sensorId?: string },
): string {
  return topicFilter(address.prefix, kind, address);
}

/** QoS and retain flag a message of `kind` is published with. */
export function publishOptions<K extends TopicKind>(
  kind: K,
): { qos: MqttContract[K]['qos']; retain: MqttContract[K]['retain'] } {
  return { qos: MQTT_CONTRACT[kind].qos, retain: MQTT_CONTRACT[kind].retain };
}

/**
 * The bytes to publish for a payload of `kind` (JSON). Checked by the compiler, not at run time: the device
 * builds payloads from typed values, and validating every publish would spend the device's CPU on what the
 * types and the contract tests already guarantee.
 */
export function encodePayload<K extends TopicKind>(_kind: K, payload: PayloadOf<K>): string {
  return JSON.stringify(payload);
}

/** The contract seen one kind at a time, so a schema's output type follows its kind in generic code. */
const SCHEMAS: { [K in TopicKind]: z.ZodType<PayloadOf<K>> } = {
  status: MQTT_CONTRACT.status.schema,
  health: MQTT_CONTRACT.health.schema,
  alert: MQTT_CONTRACT.alert.schema,
  score: MQTT_CONTRACT.score.schema,
  evicted: MQTT_CONTRACT.evicted.schema,
};

/**
 * Decodes a message received on `topic`. Returns undefined for topics that are not thrum's under `prefix`;
 * throws ThrumError BAD_DATA naming the topic and the field when the payload breaks the contract, or when the
 * ids in the payload disagree with the topic.
 */
export function parseMessage(
  topic: string,
  payload: Uint8Array | string,
  prefix: string = DEFAULT_TOPIC_PREFIX,
): ThrumMessage | undefined {
  const address = parseTopic(topic, prefix);
  if (!address) return undefined;
  const json = parseJson(topic, payload);
  switch (address.kind) {
    case 'status': {
      const p = validate('status', topic, json);
      sameIds(topic, address, p.deviceId);
      return { ...address, kind: 'status', topic, payload: p };
    }
    case 'health': {
      const p = validate('health', topic, json);
      sameIds(topic, address, p.deviceId);
      return { ...address, kind: 'health', topic, payload: p };
    }
    case 'alert': {
      const p = validate('alert', topic, json);
      sameIds(topic, address, p.deviceId, p.sensorId);
      return { ...address, kind: 'alert', topic, payload: p };
    }
    case 'evicted': {
      const p = validate('evicted', topic, json);
      sameIds(topic, address, p.deviceId, p.sensorId);
      return { ...address, kind: 'evicted', topic, payload: p };
    }
    case 'score':
      // The score summary names no ids: the topic is the only address.
      return { ...address, kind: 'score', topic, payload: validate('score', topic, json) };
  }
}

function parseJson(topic: string, payload: Uint8Array | string): unknown {
  const text = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new ThrumError('BAD_DATA', `${topic}: payload is not JSON (${text.slice(0, 40)})`);
  }
}

function validate<K extends TopicKind>(kind: K, topic: string, json: unknown): PayloadOf<K> {
  const schema = SCHEMAS[kind];
  const result = schema.safeParse(json);
  if (!result.success) {
    throw new ThrumError('BAD_DATA', zodErrorMessage(result.error, { file: topic, input: json, schema }));
  }
  return result.data;
}

function sameIds(topic: string, address: ParsedTopic, deviceId: string, sensorId?: string): void {
  const said = { deviceId, sensorId };
  const named: { deviceId: string; sensorId?: string } = address;
  for (const key of ['deviceId', 'sensorId'] as const) {
    if (said[key] !== undefined && named[key] !== undefined && said[key] !== named[key]) {
      throw new ThrumError('BAD_DATA', `${topic}: payload ${key} "${said[key]}" does not match the topic`);
    }
  }
}
