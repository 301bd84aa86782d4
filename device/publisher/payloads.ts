import type { z } from 'zod';
import type { ModelVariant } from '../../shared/bundle/manifest.js';
import type { DetectorEvent } from '../../shared/detector/types.js';
import { type Log, silentLog } from '../../shared/log.js';
import { alertSchema } from '../../shared/mqtt/alert.js';
import { encodePayload, publishOptions, topicOf } from '../../shared/mqtt/contract.js';
import { isoTime } from '../../shared/mqtt/iso-time.js';
import { zodErrorMessage } from '../../shared/zod-errors.js';
import type { OutboxEntry } from '../outbox/outbox.js';
import type { SensorScoreSummary as ScoreSummary } from './score-summary.js';

// Outbox entries and summaries -> the payloads of the MQTT contract (shared/mqtt/contract.ts): alert, evicted,
// score. Every payload is typed by the contract; what comes back out of the outbox is validated against it.

/**
 * What the outbox stores for an alert: the payload without the fields assigned at append (alertId, seq) and
 * at publish (historical). The outbox hands it back untyped, so it is parsed with this schema, never cast.
 */
export const alertBodySchema = alertSchema.omit({ alertId: true, seq: true, historical: true });
export type AlertBody = z.infer<typeof alertBodySchema>;

export interface AlertContext {
  deviceId: string;
  bundleId: string;
  modelVariant: ModelVariant;
  /** A replayed file: alerts say where in it they happened (the payload's `source`). */
  file?: { path: string; sampleRate: number };
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
    ...(ctx.file ? { source: filePosition(event, ctx.file) } : {}),
  };
}

/** Where a raised alert's evidence starts, or where a cleared one ended, in the file's samples and seconds. */
function filePosition(event: DetectorEvent, file: { path: string; sampleRate: number }) {
  const sampleOffset = event.kind === 'raised' ? event.windowStart.sample : event.windowEnd.sample;
  return {
    file: file.path,
    sampleOffset,
    secondsFromStart: Math.round((sampleOffset / file.sampleRate) * 1000) / 1000,
  };
}

/** The contract kind an outbox entry is published as. */
export function entryKind(entry: OutboxEntry): 'alert' | 'evicted' {
  return entry.kind === 'alert' ? 'alert' : 'evicted';
}

/**
 * QoS and retain of an outbox entry. The outbox deletes an entry on its PUBACK, so whatever it holds must go
 * at QoS 1: the return type makes this fail to compile if the contract ever said otherwise.
 */
export function entryPublishOptions(entry: OutboxEntry): { qos: 1; retain: false } {
  return publishOptions(entryKind(entry));
}

export function entryTopic(prefix: string, deviceId: string, entry: OutboxEntry): string {
  return topicOf(entryKind(entry), { prefix, deviceId, sensorId: String(entry.sensorId) });
}

/**
 * The payload of an outbox entry. An alert body that does not parse (written by another daemon version, say) is
 * published as stored, as before the contract existed, and logged with `publish.alert.invalid`: holding it back
 * would block every alert queued behind it, and dropping it would lose it.
 */
export function entryPayload(
  deviceId: string,
  entry: OutboxEntry,
  historical: boolean,
  log: Log = silentLog,
): string {
  if (entry.kind === 'alert') {
    const body = alertBodySchema.safeParse(entry.body);
    if (!body.success) {
      log.warn(
        {
          event: 'publish.alert.invalid',
          id: entry.id,
          seq: entry.seq,
          problem: zodErrorMessage(body.error, { input: entry.body, schema: alertBodySchema }),
        },
        'stored alert does not match the MQTT contract; published as stored',
      );
      return JSON.stringify({ alertId: entry.id, ...entry.body, seq: entry.seq, historical });
    }
    return encodePayload('alert', { alertId: entry.id, ...body.data, seq: entry.seq, historical });
  }
  const { fromSeq, toSeq, count, reason, at } = entry.body;
  return encodePayload('evicted', {
    kind: 'evicted',
    evictionId: entry.id,
    deviceId,
    sensorId: String(entry.sensorId),
    fromSeq,
    toSeq,
    count,
    reason,
    at: isoTime(at),
  });
}

export function scorePayload(s: ScoreSummary): string {
  return encodePayload('score', {
    from: isoTime(s.from),
    to: isoTime(s.to),
    count: s.count,
    mean: s.mean,
    p95: s.p95,
    max: s.max,
    ...(s.p50 !== undefined ? { p50: s.p50 } : {}),
    ...(s.threshold !== undefined ? { threshold: s.threshold } : {}),
    ...(s.variant !== undefined ? { variant: s.variant } : {}),
  });
}
