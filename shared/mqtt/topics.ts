// The string side of thrum's MQTT topics: building them from ids (checked), reading them back, subscription
// filters. Which topics exist, their payloads, QoS and retain flags are the contract (contract.ts,
// docs/mqtt.md); use topicOf / parseMessage from there. The per-kind builders below stay for callers that
// predate the contract (the daemon).
import { checkTopicId, checkTopicPrefix, topicIdProblem } from './topic-ids.js';

export const DEFAULT_TOPIC_PREFIX = 'thrum';
export const DEVICE_TOPIC_KINDS = ['status', 'health'] as const;
export const SENSOR_TOPIC_KINDS = ['alert', 'score', 'evicted'] as const;
export type DeviceTopicKind = (typeof DEVICE_TOPIC_KINDS)[number];
export type SensorTopicKind = (typeof SENSOR_TOPIC_KINDS)[number];
export type TopicKind = DeviceTopicKind | SensorTopicKind;

/** What a thrum topic addresses: a device (status, health) or one sensor of a device (alert, score, evicted). */
export type ParsedTopic =
  | { kind: DeviceTopicKind; deviceId: string }
  | { kind: SensorTopicKind; deviceId: string; sensorId: string };

export function isSensorKind(kind: TopicKind): kind is SensorTopicKind {
  return (SENSOR_TOPIC_KINDS as readonly string[]).includes(kind);
}

/**
 * `<prefix>/<deviceId>/<kind>` or, for the per-sensor kinds, `<prefix>/<deviceId>/<sensorId>/<kind>`. Throws
 * BAD_CONFIG naming the id when one cannot be a topic level (or a sensor kind comes without a sensorId).
 */
export function topicPath(
  prefix: string,
  kind: TopicKind,
  ids: { deviceId: string; sensorId?: string },
): string {
  const device = `${checkTopicPrefix(prefix)}/${checkTopicId('deviceId', ids.deviceId)}`;
  if (!isSensorKind(kind)) return `${device}/${kind}`;
  return `${device}/${checkTopicId('sensorId', ids.sensorId ?? '')}/${kind}`;
}

export const statusTopic = (prefix: string, deviceId: string) => topicPath(prefix, 'status', { deviceId });
export const healthTopic = (prefix: string, deviceId: string) => topicPath(prefix, 'health', { deviceId });
export const alertTopic = (prefix: string, deviceId: string, sensorId: string) =>
  topicPath(prefix, 'alert', { deviceId, sensorId });
export const scoreTopic = (prefix: string, deviceId: string, sensorId: string) =>
  topicPath(prefix, 'score', { deviceId, sensorId });
export const evictedTopic = (prefix: string, deviceId: string, sensorId: string) =>
  topicPath(prefix, 'evicted', { deviceId, sensorId });

/** What a thrum topic addresses, or undefined when it is not one of thrum's topics under `prefix`. */
export function parseTopic(topic: string, prefix: string = DEFAULT_TOPIC_PREFIX): ParsedTopic | undefined {
  if (!topic.startsWith(`${prefix}/`)) return undefined;
  const levels = topic.slice(prefix.length + 1).split('/');
  if (levels.some((level) => topicIdProblem(level) !== undefined)) return undefined;
  const kind = levels.at(-1);
  const device = DEVICE_TOPIC_KINDS.find((k) => k === kind);
  if (levels.length === 2 && device) return { kind: device, deviceId: levels[0]! };
  const sensor = SENSOR_TOPIC_KINDS.find((k) => k === kind);
  if (levels.length === 3 && sensor) return { kind: sensor, deviceId: levels[0]!, sensorId: levels[1]! };
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
  if (!isSensorKind(kind)) return `${checkTopicPrefix(prefix)}/${device}/${kind}`;
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
