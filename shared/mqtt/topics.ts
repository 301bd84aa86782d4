// thrum's MQTT topics, a public interface (see README.md):
//   <prefix>/<deviceId>/status              QoS 1, retained, also the Last Will
//   <prefix>/<deviceId>/health              QoS 0
//   <prefix>/<deviceId>/<sensorId>/alert    QoS 1
//   <prefix>/<deviceId>/<sensorId>/score    QoS 0
//   <prefix>/<deviceId>/<sensorId>/evicted  QoS 1 (alerts the outbox had to drop; see evicted.ts)
import { checkTopicId, checkTopicPrefix, topicIdProblem } from './topic-ids.js';

export const DEFAULT_TOPIC_PREFIX = 'thrum';
export const DEVICE_TOPIC_KINDS = ['status', 'health'] as const;
export const SENSOR_TOPIC_KINDS = ['alert', 'score', 'evicted'] as const;
export type DeviceTopicKind = (typeof DEVICE_TOPIC_KINDS)[number];
export type SensorTopicKind = (typeof SENSOR_TOPIC_KINDS)[number];
export type TopicKind = DeviceTopicKind | SensorTopicKind;

/** QoS and retain flag each topic is published with. */
export const TOPIC_QOS: Record<TopicKind, { qos: 0 | 1; retain: boolean }> = {
  status: { qos: 1, retain: true },
  health: { qos: 0, retain: false },
  alert: { qos: 1, retain: false },
  score: { qos: 0, retain: false },
  evicted: { qos: 1, retain: false },
};

export interface ParsedTopic {
  deviceId: string;
  /** Present for the per-sensor kinds. */
  sensorId?: string;
  kind: TopicKind;
}

function deviceTopic(prefix: string, deviceId: string, kind: DeviceTopicKind): string {
  return `${checkTopicPrefix(prefix)}/${checkTopicId('deviceId', deviceId)}/${kind}`;
}

function sensorTopic(prefix: string, deviceId: string, sensorId: string, kind: SensorTopicKind): string {
  return `${checkTopicPrefix(prefix)}/${checkTopicId('deviceId', deviceId)}/${checkTopicId('sensorId', sensorId)}/${kind}`;
}

export const statusTopic = (prefix: string, deviceId: string) => deviceTopic(prefix, deviceId, 'status');
export const healthTopic = (prefix: string, deviceId: string) => deviceTopic(prefix, deviceId, 'health');
export const alertTopic = (prefix: string, deviceId: string, sensorId: string) =>
  sensorTopic(prefix, deviceId, sensorId, 'alert');
export const scoreTopic = (prefix: string, deviceId: string, sensorId: string) =>
  sensorTopic(prefix, deviceId, sensorId, 'score');
export const evictedTopic = (prefix: string, deviceId: string, sensorId: string) =>
  sensorTopic(prefix, deviceId, sensorId, 'evicted');

/** What a thrum topic addresses, or undefined when it is not one of thrum's topics under `prefix`. */
export function parseTopic(topic: string, prefix: string = DEFAULT_TOPIC_PREFIX): ParsedTopic | undefined {
  if (!topic.startsWith(`${prefix}/`)) return undefined;
  const levels = topic.slice(prefix.length + 1).split('/');
  if (levels.some((level) => topicIdProblem(level) !== undefined)) return undefined;
  const kind = levels.at(-1) as TopicKind;
  if (levels.length === 2 && (DEVICE_TOPIC_KINDS as readonly string[]).includes(kind)) {
    return { deviceId: levels[0]!, kind };
  }
  if (levels.length === 3 && (SENSOR_TOPIC_KINDS as readonly string[]).includes(kind)) {
    return { deviceId: levels[0]!, sensorId: levels[1]!, kind };
  }
  return undefined;
}

/**
 * A subscription filter for one kind of topic, e.g. `thrum/+/+/alert` (all devices, all sensors) or
 * `thrum/pi-7/+/alert`. Omitted ids match everything.
 */
export function topicFilter(
  prefix: string,
  kind: TopicKind,
  ids: { deviceId?: string; sensorId?: string } = {},
): string {
  const device = ids.deviceId === undefined ? '+' : checkTopicId('deviceId', ids.deviceId);
  if ((DEVICE_TOPIC_KINDS as readonly string[]).includes(kind))
    return `${checkTopicPrefix(prefix)}/${device}/${kind}`;
  const sensor = ids.sensorId === undefined ? '+' : checkTopicId('sensorId', ids.sensorId);
  return `${checkTopicPrefix(prefix)}/${device}/${sensor}/${kind}`;
}

/**
 * An MQTT 5 shared subscription (`$share/<group>/<filter>`): the broker hands each message to one member of
 * the group, so N consumers split the stream.
 */
export function sharedSubscription(group: string, filter: string): string {
  return `$share/${checkTopicId('share group', group)}/${filter}`;
}
