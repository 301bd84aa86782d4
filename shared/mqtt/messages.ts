import type { z } from 'zod';
import { ThrumError } from '../errors.js';
import { zodErrorMessage } from '../zod-errors.js';
import { type Alert, alertSchema } from './alert.js';
import { type Evicted, evictedSchema } from './evicted.js';
import { type Health, healthSchema } from './health.js';
import { type ScoreSummary, scoreSummarySchema } from './score-summary.js';
import { type Status, statusSchema } from './status.js';
import { DEFAULT_TOPIC_PREFIX, parseTopic } from './topics.js';

/** A decoded thrum message: what its topic says, and its validated payload. */
export type ThrumMessage =
  | { kind: 'alert'; deviceId: string; sensorId: string; payload: Alert }
  | { kind: 'evicted'; deviceId: string; sensorId: string; payload: Evicted }
  | { kind: 'score'; deviceId: string; sensorId: string; payload: ScoreSummary }
  | { kind: 'status'; deviceId: string; payload: Status }
  | { kind: 'health'; deviceId: string; payload: Health };

const SCHEMAS: Record<ThrumMessage['kind'], z.ZodType> = {
  alert: alertSchema,
  evicted: evictedSchema,
  score: scoreSummarySchema,
  status: statusSchema,
  health: healthSchema,
};

/**
 * Decodes a message received on `topic`. Returns undefined for topics that are not thrum's; throws a
 * ThrumError BAD_DATA naming the topic and the field when a thrum payload is malformed, or when the ids in
 * the payload disagree with the topic.
 */
export function decodeMessage(
  topic: string,
  payload: Uint8Array | string,
  prefix: string = DEFAULT_TOPIC_PREFIX,
): ThrumMessage | undefined {
  const parsed = parseTopic(topic, prefix);
  if (!parsed) return undefined;
  const text = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ThrumError('BAD_DATA', `${topic}: payload is not JSON (${text.slice(0, 40)})`);
  }
  const schema = SCHEMAS[parsed.kind];
  const result = schema.safeParse(json);
  if (!result.success) {
    throw new ThrumError('BAD_DATA', zodErrorMessage(result.error, { file: topic, input: json, schema }));
  }
  const data = result.data as { deviceId?: string; sensorId?: string };
  for (const key of ['deviceId', 'sensorId'] as const) {
    if (data[key] !== undefined && parsed[key] !== undefined && data[key] !== parsed[key]) {
      throw new ThrumError('BAD_DATA', `${topic}: payload ${key} "${data[key]}" does not match the topic`);
    }
  }
  return { ...parsed, payload: result.data } as ThrumMessage;
}
