import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../../../device/outbox/outbox.js';
import {
  alertBody,
  entryPayload,
  entryPublishOptions,
  entryTopic,
  scorePayload,
} from '../../../../device/publisher/payloads.js';
import type { DetectorEvent } from '../../../../shared/detector/types.js';
import type { Log } from '../../../../shared/log.js';
import { alertSchema } from '../../../../shared/mqtt/alert.js';
import { parseMessage } from '../../../../shared/mqtt/contract.js';
import { evictedSchema } from '../../../../shared/mqtt/evicted.js';
import { scoreSummarySchema } from '../../../../shared/mqtt/score-summary.js';
import { uuidv7 } from '../../../../shared/mqtt/uuidv7.js';

const T = Date.UTC(2025, 5, 1, 12, 0, 0);

const event: DetectorEvent = {
  kind: 'raised',
  sensorId: 3,
  score: 4.2,
  threshold: 1.1,
  pValue: 0.001,
  windowStart: { sample: 640, timeMs: T - 80 },
  windowEnd: { sample: 704, timeMs: T },
  contributions: [{ group: 'x/spectrum', share: 0.7 }],
};

describe('payloads', () => {
  it('an alert entry becomes a valid alert payload on <prefix>/<device>/<sensor>/alert', () => {
    const body = alertBody(event, { deviceId: 'pump-7', bundleId: 'b1', modelVariant: 'int8' });
    const entry: OutboxEntry = { kind: 'alert', id: uuidv7(T), sensorId: 3, seq: 12, createdAt: T, body };
    const topic = entryTopic('thrum', 'pump-7', entry);
    const text = entryPayload('pump-7', entry, true);
    expect(topic).toBe('thrum/pump-7/3/alert');
    const alert = alertSchema.parse(JSON.parse(text));
    expect(alert).toMatchObject({
      alertId: entry.id,
      sensorId: '3',
      seq: 12,
      historical: true,
      windowStart: '2025-06-01T11:59:59.920Z',
      windowEnd: '2025-06-01T12:00:00.000Z',
      contributions: [{ group: 'x/spectrum', share: 0.7 }],
    });
    // What a consumer decodes matches the topic.
    expect(parseMessage(topic, text)?.kind).toBe('alert');
    expect(entryPublishOptions(entry)).toEqual({ qos: 1, retain: false });
  });

  it('keeps the wire format byte for byte: the stored body spread between alertId and seq, historical last', () => {
    const body = alertBody(event, { deviceId: 'pump-7', bundleId: 'b1', modelVariant: 'fp32' });
    const entry: OutboxEntry = { kind: 'alert', id: uuidv7(T), sensorId: 3, seq: 5, createdAt: T, body };
    // What the publisher sent before the payload was typed by the contract (same fields, same order).
    const before = JSON.stringify({ alertId: entry.id, ...body, seq: 5, historical: false });
    expect(entryPayload('pump-7', entry, false)).toBe(before);
  });

  it('publishes a stored alert that breaks the contract as stored, and logs publish.alert.invalid', () => {
    const warnings: Array<{ event?: unknown; problem?: unknown }> = [];
    const log: Log = { debug() {}, info() {}, warn: (o) => warnings.push(o), error() {} };
    const body = { ...alertBody(event, { deviceId: 'pump-7', bundleId: 'b1', modelVariant: 'int8' }) };
    const entry: OutboxEntry = {
      kind: 'alert',
      id: uuidv7(T),
      sensorId: 3,
      seq: 6,
      createdAt: T,
      body: { ...body, pValue: 'low' },
    };
    const sent = JSON.parse(entryPayload('pump-7', entry, false, log));
    expect(sent).toMatchObject({ alertId: entry.id, pValue: 'low', seq: 6 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ event: 'publish.alert.invalid' });
    expect(String(warnings[0]!.problem)).toContain('pValue');
  });

  it('an eviction entry becomes a valid evicted payload on its own topic', () => {
    const entry: OutboxEntry = {
      kind: 'eviction',
      id: uuidv7(T),
      sensorId: 3,
      createdAt: T,
      body: { fromSeq: 4, toSeq: 9, count: 5, reason: 'size', at: T },
    };
    const topic = entryTopic('plant/thrum', 'pump-7', entry);
    expect(topic).toBe('plant/thrum/pump-7/3/evicted');
    expect(parseMessage(topic, entryPayload('pump-7', entry, false), 'plant/thrum')?.kind).toBe('evicted');
    expect(entryPublishOptions(entry)).toEqual({ qos: 1, retain: false });
    expect(evictedSchema.parse(JSON.parse(entryPayload('pump-7', entry, false)))).toMatchObject({
      kind: 'evicted',
      evictionId: entry.id,
      fromSeq: 4,
      toSeq: 9,
      count: 5,
      reason: 'size',
      at: '2025-06-01T12:00:00.000Z',
    });
  });

  it('a score summary becomes a valid score payload', () => {
    const text = scorePayload({ sensorId: 1, from: T, to: T + 999, count: 3, mean: 1, p95: 2, max: 2 });
    expect(scoreSummarySchema.parse(JSON.parse(text))).toEqual({
      from: '2025-06-01T12:00:00.000Z',
      to: '2025-06-01T12:00:00.999Z',
      count: 3,
      mean: 1,
      p95: 2,
      max: 2,
    });
  });
});
