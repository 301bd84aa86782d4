import type { ModelVariant } from '../../shared/bundle/manifest.js';
import type { DetectorEvent } from '../../shared/detector/types.js';
import type { Alert } from '../../shared/mqtt/alert.js';
import type { Evicted } from '../../shared/mqtt/evicted.js';
import { isoTime } from '../../shared/mqtt/iso-time.js';
import type { ScoreSummary as ScorePayload } from '../../shared/mqtt/score-summary.js';
import { alertTopic, evictedTopic } from '../../shared/mqtt/topics.js';
import type { OutboxEntry } from '../outbox/outbox.js';
import type { SensorScoreSummary as ScoreSummary } from './score-summary.js';

// Outbox entries and summaries -> the public payloads of shared/mqtt (alert, evicted, score).

/** What the outbox stores for an alert: the payload without the fields assigned at append and publish. */
export type AlertBody = Omit<Alert, 'alertId' | 'seq' | 'historical'>;

export interface AlertContext {
  deviceId: string;
  bundleId: string;
  modelVariant: ModelVariant;
}

export function alertBody(event: DetectorEvent, ctx: AlertContext): AlertBody {
  return {
    deviceId: ctx.deviceId,
    sensorId: String(event.sensorId),
    kind: event.kind,
    score: event.score,
    threshold: event.threshold,
    pValue: event.pValue,
    windowStart: isoTime(event.windowStart.timeMs),
    windowEnd: isoTime(event.windowEnd.timeMs),
    bundleId: ctx.bundleId,
    modelVariant: ctx.modelVariant,
    contributions: event.contributions.map(({ group, share }) => ({ group, share })),
  };
}

export function entryTopic(prefix: string, deviceId: string, entry: OutboxEntry): string {
  const sensorId = String(entry.sensorId);
  return entry.kind === 'alert'
    ? alertTopic(prefix, deviceId, sensorId)
    : evictedTopic(prefix, deviceId, sensorId);
}

export function entryPayload(deviceId: string, entry: OutboxEntry, historical: boolean): string {
  if (entry.kind === 'alert') {
    const body = entry.body as AlertBody;
    const alert: Alert = { alertId: entry.id, ...body, seq: entry.seq, historical };
    return JSON.stringify(alert);
  }
  const { fromSeq, toSeq, count, reason, at } = entry.body;
  const evicted: Evicted = {
    kind: 'evicted',
    evictionId: entry.id,
    deviceId,
    sensorId: String(entry.sensorId),
    fromSeq,
    toSeq,
    count,
    reason,
    at: isoTime(at),
  };
  return JSON.stringify(evicted);
}

export function scorePayload(s: ScoreSummary): string {
  const payload: ScorePayload = {
    from: isoTime(s.from),
    to: isoTime(s.to),
    count: s.count,
    mean: s.mean,
    p95: s.p95,
    max: s.max,
  };
  return JSON.stringify(payload);
}
