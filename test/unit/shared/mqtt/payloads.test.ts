import { describe, expect, it } from 'vitest';
import { ThrumError } from '../../../../shared/errors.js';
import { type Alert, alertSchema } from '../../../../shared/mqtt/alert.js';
import { parseMessage } from '../../../../shared/mqtt/contract.js';
import { type Evicted, evictedSchema } from '../../../../shared/mqtt/evicted.js';
import { type Health, healthSchema } from '../../../../shared/mqtt/health.js';
import { isoTime } from '../../../../shared/mqtt/iso-time.js';
import { type ScoreSummary, scoreSummarySchema } from '../../../../shared/mqtt/score-summary.js';
import { type Status, statusSchema } from '../../../../shared/mqtt/status.js';
import { Uuidv7Generator } from '../../../../shared/mqtt/uuidv7.js';

const T = Date.UTC(2025, 10, 25, 14, 0, 0);
const ids = new Uuidv7Generator();

const alert: Alert = {
  alertId: ids.next(T),
  deviceId: 'pi-7',
  sensorId: 'fan',
  seq: 42,
  kind: 'raised',
  score: 3.2,
  threshold: 1.5,
  pValue: 0.001,
  windowStart: isoTime(T - 2000),
  windowEnd: isoTime(T),
  bundleId: 'b-2025-11-25',
  modelVariant: 'int8',
  contributions: [
    { group: 'x/spectrum', share: 0.62 },
    { group: 'z/stats', share: 0.2 },
  ],
  historical: false,
};
const status: Status = {
  state: 'online',
  deviceId: 'pi-7',
  bundleId: 'b-2025-11-25',
  startedAt: isoTime(T),
  session: ids.next(T),
};
const score: ScoreSummary = {
  from: isoTime(T),
  to: isoTime(T + 10_000),
  count: 80,
  mean: 0.4,
  p95: 0.9,
  max: 1.2,
};
const health: Health = {
  deviceId: 'pi-7',
  at: isoTime(T),
  uptimeMs: 60_000,
  flags: ['serialSilent'],
  sections: {
    serial: { connected: true, bytes: 123456, reconnects: 1 },
    frames: { ok: 1000, bad: 2, gaps: 1 },
    inference: { windows: 500, batches: 20 },
    outbox: { depth: 0, evicted: 0, quarantinedTo: null },
  },
  process: { rssBytes: 80e6, heapUsedBytes: 20e6 },
};
const evicted: Evicted = {
  kind: 'evicted',
  evictionId: ids.next(T),
  deviceId: 'pi-7',
  sensorId: 'fan',
  fromSeq: 10,
  toSeq: 19,
  count: 8,
  reason: 'size',
  at: isoTime(T),
};

describe('payload schemas', () => {
  it('accept the payloads of DESIGN.md, and they survive a JSON round trip', () => {
    expect(alertSchema.parse(JSON.parse(JSON.stringify(alert)))).toEqual(alert);
    expect(statusSchema.parse(JSON.parse(JSON.stringify(status)))).toEqual(status);
    expect(scoreSummarySchema.parse(JSON.parse(JSON.stringify(score)))).toEqual(score);
    expect(healthSchema.parse(JSON.parse(JSON.stringify(health)))).toEqual(health);
    expect(evictedSchema.parse(JSON.parse(JSON.stringify(evicted)))).toEqual(evicted);
  });

  it('refuse alerts with a bad id, seq, kind, p-value, time or variant', () => {
    const bad: Array<Partial<Record<keyof Alert, unknown>>> = [
      { alertId: 'f47ac10b-58cc-4372-a567-0e02b2c3d479' }, // a UUIDv4
      { seq: 0 },
      { seq: 1.5 },
      { kind: 'resolved' },
      { pValue: 1.2 },
      { score: -1 },
      { windowStart: '25/11/2025 14:00' },
      { modelVariant: 'fp16' },
      { sensorId: 'a/b' },
      { contributions: [{ group: 'x/raw', share: 2 }] },
      { historical: 'no' },
    ];
    for (const patch of bad)
      expect(alertSchema.safeParse({ ...alert, ...patch }).success, JSON.stringify(patch)).toBe(false);
    const { historical: _, ...withoutHistorical } = alert;
    expect(alertSchema.safeParse(withoutHistorical).success).toBe(false);
  });

  it('refuse a score summary whose numbers contradict each other', () => {
    expect(scoreSummarySchema.safeParse({ ...score, to: isoTime(T - 1) }).success).toBe(false);
    expect(scoreSummarySchema.safeParse({ ...score, p95: 2 }).success).toBe(false);
    expect(scoreSummarySchema.safeParse({ ...score, count: 0 }).success).toBe(false);
  });

  it('refuse an eviction record whose range cannot hold its count', () => {
    expect(evictedSchema.safeParse({ ...evicted, fromSeq: 20 }).success).toBe(false);
    expect(evictedSchema.safeParse({ ...evicted, count: 11 }).success).toBe(false);
    expect(evictedSchema.safeParse({ ...evicted, count: 10 }).success).toBe(true);
    expect(evictedSchema.safeParse({ ...evicted, reason: 'whim' }).success).toBe(false);
  });

  it('refuse a status with an unknown state and health with nested non-JSON', () => {
    expect(statusSchema.safeParse({ ...status, state: 'sleeping' }).success).toBe(false);
    expect(healthSchema.safeParse({ ...health, sections: { serial: 'up' } }).success).toBe(false);
  });
});

describe('parseMessage', () => {
  it('decodes each kind from its topic and bytes', () => {
    expect(parseMessage('thrum/pi-7/fan/alert', Buffer.from(JSON.stringify(alert)))).toEqual({
      kind: 'alert',
      topic: 'thrum/pi-7/fan/alert',
      deviceId: 'pi-7',
      sensorId: 'fan',
      payload: alert,
    });
    expect(parseMessage('thrum/pi-7/status', JSON.stringify(status))?.payload).toEqual(status);
    expect(parseMessage('thrum/pi-7/fan/score', JSON.stringify(score))?.kind).toBe('score');
    expect(parseMessage('thrum/pi-7/health', JSON.stringify(health))?.kind).toBe('health');
    expect(parseMessage('site/pi-7/fan/evicted', JSON.stringify(evicted), 'site')?.payload).toEqual(evicted);
  });

  it('ignores topics that are not thrum topics', () => {
    expect(parseMessage('$SYS/broker/uptime', '12 seconds')).toBeUndefined();
  });

  it('names the topic and the field of a malformed payload', () => {
    const bad = () => parseMessage('thrum/pi-7/fan/alert', JSON.stringify({ ...alert, seq: -1 }));
    expect(bad).toThrow(ThrumError);
    expect(bad).toThrow('thrum/pi-7/fan/alert: seq: expected a positive integer, got -1');
    expect(() => parseMessage('thrum/pi-7/status', '{oops')).toThrow(
      /thrum\/pi-7\/status: payload is not JSON/,
    );
  });

  it('refuses a payload whose ids disagree with its topic', () => {
    expect(() => parseMessage('thrum/pi-8/fan/alert', JSON.stringify(alert))).toThrow(
      /payload deviceId "pi-7" does not match the topic/,
    );
    expect(() => parseMessage('thrum/pi-7/pump/alert', JSON.stringify(alert))).toThrow(/sensorId "fan"/);
  });
});
