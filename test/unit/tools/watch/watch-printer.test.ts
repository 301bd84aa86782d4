import { describe, expect, it } from 'vitest';
import type { Alert, Status } from '../../../../shared/mqtt/contract.js';
import { watchFilters } from '../../../../tools/watch/start-watch.js';
import { WatchPrinter } from '../../../../tools/watch/watch-printer.js';

const NOW = Date.parse('2025-11-25T14:05:00.000Z');
const ID_A = '019ab5c2-3f00-7000-8000-000000000001';
const ID_B = '019ab5c2-3f00-7000-8000-000000000002';

function alert(over: Partial<Alert> = {}): Alert {
  return {
    alertId: ID_A,
    deviceId: 'press-7',
    sensorId: 'adxl',
    seq: 12,
    kind: 'raised',
    score: 0.04213,
    threshold: 0.031,
    pValue: 0.00004,
    windowStart: '2025-11-25T14:03:06.485Z',
    windowEnd: '2025-11-25T14:03:07.125Z',
    bundleId: 'b-2025-11-25',
    modelVariant: 'int8',
    contributions: [
      { group: 'y/spectrum', share: 0.21 },
      { group: 'x/spectrum', share: 0.62 },
      { group: 'z/stats', share: 0.09 },
      { group: 'x/stats', share: 0.08 },
    ],
    historical: false,
    ...over,
  };
}

function status(over: Partial<Status> = {}): Status {
  return {
    state: 'online',
    deviceId: 'press-7',
    bundleId: 'b-2025-11-25',
    startedAt: '2025-11-25T14:00:00.000Z',
    session: 's1',
    ...over,
  };
}

const printer = (json = false, color = false) =>
  new WatchPrinter({ prefix: 'thrum', json, color, now: () => NOW });
const ALERT_TOPIC = 'thrum/press-7/adxl/alert';
const STATUS_TOPIC = 'thrum/press-7/status';
const send = (p: WatchPrinter, topic: string, payload: unknown) => p.handle(topic, JSON.stringify(payload));

describe('WatchPrinter alerts', () => {
  it('prints a readable line: time, device/sensor, RAISED, seq, score vs threshold, p-value, top 3 groups', () => {
    expect(send(printer(), ALERT_TOPIC, alert())).toEqual([
      {
        stream: 'out',
        line:
          '2025-11-25T14:03:07.125Z  press-7/adxl  RAISED   #12  score 0.04213 >= threshold 0.031 (1.36x, int8)  p<0.0001  ' +
          'top: x/spectrum 62%, y/spectrum 21%, z/stats 9%',
      },
    ]);
  });

  it('marks cleared and replayed alerts', () => {
    const [line] = send(
      printer(),
      ALERT_TOPIC,
      alert({ kind: 'cleared', score: 0.012, pValue: 0.31, historical: true, contributions: [] }),
    );
    expect(line!.line).toBe(
      '2025-11-25T14:03:07.125Z  press-7/adxl  CLEARED  #12  episode peak 0.012 vs threshold 0.031 (0.39x, int8)  p=0.31  (replayed)',
    );
  });

  it('prints each alertId once however often it arrives, and counts the duplicates', () => {
    const p = printer();
    const out = [
      ...send(p, ALERT_TOPIC, alert()),
      ...send(p, ALERT_TOPIC, alert({ historical: true })),
      ...send(p, ALERT_TOPIC, alert({ alertId: ID_B, seq: 13, kind: 'cleared' })),
      ...send(p, ALERT_TOPIC, alert()),
    ];
    expect(out.map((l) => /#\d+/.exec(l.line)?.[0])).toEqual(['#12', '#13']);
    expect(p.counters).toMatchObject({ alerts: 2, duplicates: 2 });
  });

  it('--json: one object per line with type, topic, receivedAt and the payload', () => {
    const [line] = send(printer(true), ALERT_TOPIC, alert());
    expect(JSON.parse(line!.line)).toEqual({
      type: 'alert',
      topic: ALERT_TOPIC,
      receivedAt: '2025-11-25T14:05:00.000Z',
      ...alert(),
    });
  });

  it('colors RAISED red and CLEARED green only when asked', () => {
    expect(send(printer(false, true), ALERT_TOPIC, alert())[0]!.line).toContain('\x1b[31mRAISED \x1b[0m');
    expect(send(printer(false, false), ALERT_TOPIC, alert())[0]!.line).not.toContain('\x1b[');
  });
});

describe('WatchPrinter status', () => {
  it('prints online/offline changes once, and a restart (new session) while online', () => {
    const p = printer();
    const lines = [
      ...send(p, STATUS_TOPIC, status()),
      ...send(p, STATUS_TOPIC, status()), // retained copy on a reconnect: no change
      ...send(p, STATUS_TOPIC, status({ state: 'offline' })),
      ...send(p, STATUS_TOPIC, status({ session: 's2', startedAt: '2025-11-25T14:04:00.000Z' })),
      ...send(p, STATUS_TOPIC, status({ session: 's3', startedAt: '2025-11-25T14:04:30.000Z' })),
    ].map((l) => l.line);
    expect(lines).toEqual([
      '2025-11-25T14:05:00.000Z  press-7  ONLINE   bundle b-2025-11-25, started 2025-11-25T14:00:00.000Z',
      '2025-11-25T14:05:00.000Z  press-7  OFFLINE  bundle b-2025-11-25',
      '2025-11-25T14:05:00.000Z  press-7  ONLINE   bundle b-2025-11-25, started 2025-11-25T14:04:00.000Z',
      '2025-11-25T14:05:00.000Z  press-7  ONLINE   bundle b-2025-11-25, started 2025-11-25T14:04:30.000Z (restarted: new session)',
    ]);
    expect(p.counters.statusChanges).toBe(4);
  });

  it('tracks devices separately', () => {
    const p = printer(true);
    const out = [
      ...send(p, STATUS_TOPIC, status()),
      ...send(p, 'thrum/lathe-2/status', status({ deviceId: 'lathe-2' })),
    ].map((l) => JSON.parse(l.line));
    expect(out.map((o) => [o.type, o.deviceId, o.state])).toEqual([
      ['status', 'press-7', 'online'],
      ['status', 'lathe-2', 'online'],
    ]);
  });
});

describe('WatchPrinter malformed input', () => {
  it.each([
    ['not JSON', ALERT_TOPIC, '{oops', /not JSON/],
    ['missing field', ALERT_TOPIC, JSON.stringify({ ...alert(), score: undefined }), /score/],
    ['bad alertId', ALERT_TOPIC, JSON.stringify(alert({ alertId: 'nope' })), /alertId/],
    [
      'ids disagree with the topic',
      'thrum/other/adxl/alert',
      JSON.stringify(alert()),
      /does not match the topic/,
    ],
    ['foreign topic', 'elsewhere/x/status', JSON.stringify(status()), /not a thrum topic/],
  ])('%s: a warning on stderr, nothing on stdout, and it goes on', (_name, topic, payload, message) => {
    const p = printer();
    const out = p.handle(topic, payload);
    expect(out).toHaveLength(1);
    expect(out[0]!.stream).toBe('err');
    expect(out[0]!.line).toMatch(/^warning: /);
    expect(out[0]!.line).toMatch(message);
    expect(p.counters.malformed).toBe(1);
    expect(send(p, ALERT_TOPIC, alert())[0]!.stream).toBe('out');
  });
});

describe('watchFilters', () => {
  it('subscribes to all devices by default, one device or sensor when asked, shared when grouped', () => {
    expect(watchFilters({ prefix: 'thrum' })).toEqual({
      alerts: 'thrum/+/+/alert',
      status: 'thrum/+/status',
      score: 'thrum/+/+/score',
      health: 'thrum/+/health',
    });
    expect(watchFilters({ prefix: 'plant/thrum', device: 'press-7' })).toEqual({
      alerts: 'plant/thrum/press-7/+/alert',
      status: 'plant/thrum/press-7/status',
      score: 'plant/thrum/press-7/+/score',
      health: 'plant/thrum/press-7/health',
    });
    expect(watchFilters({ prefix: 'thrum', sensor: 'adxl', share: 'ops' }).alerts).toBe(
      '$share/ops/thrum/+/adxl/alert',
    );
  });

  it.each([
    [{ prefix: '$SYS' }, /--prefix '\$SYS'/],
    [{ prefix: 'thrum', device: 'a/b' }, /--device 'a\/b' must not contain "\/"/],
    [{ prefix: 'thrum', share: '' }, /--share '' must not be empty/],
  ])('rejects %j naming the flag', (raw, message) => {
    expect(() => watchFilters(raw)).toThrow(message);
  });
});

describe('WatchPrinter --scores --health, variant and file position', () => {
  const scorePayload = {
    from: '2025-11-25T14:04:50.000Z',
    to: '2025-11-25T14:05:00.000Z',
    count: 61,
    mean: 0.6,
    p95: 0.9,
    max: 0.93,
    p50: 0.61,
    threshold: 1.46,
    variant: 'int8',
  };
  const health = {
    deviceId: 'pump-7',
    at: '2025-11-25T14:05:00.000Z',
    uptimeMs: 60_000,
    flags: ['sampleRateMismatch'],
    sections: {
      serial: { state: 'open', bytes: 1_234_567 },
      rate: { expectedHz: 3200, sensors: { '1': { measuredHz: 2401.2, judged: true } }, mismatch: true },
      frames: { bad: 2, gaps: 1 },
      inference: { scored: 360, dropped: 0, variant: 'int8' },
      alerts: { raised: 1, cleared: 0 },
      outbox: { depth: 0 },
      mqtt: { connected: true },
    },
    process: { rssBytes: 1, heapUsedBytes: 1 },
  };
  const opts = (scores: boolean, health: boolean) =>
    new WatchPrinter({ prefix: 'thrum', json: false, color: false, now: () => NOW, scores, health });

  it('prints one line per score summary and per health report, flags first', () => {
    const p = opts(true, true);
    expect(send(p, 'thrum/pump-7/1/score', scorePayload)).toEqual([
      {
        stream: 'out',
        line: '2025-11-25T14:05:00.000Z  pump-7/1  score p50 0.61 max 0.93 (threshold 1.46, int8)  6.0 windows/s',
      },
    ]);
    expect(send(p, 'thrum/pump-7/health', health)).toEqual([
      {
        stream: 'out',
        line:
          '2025-11-25T14:05:00.000Z  pump-7  health  flags: sampleRateMismatch | serial open, 1.2 MB | ' +
          'rate 1: 2401 Hz (expected 3200 Hz) | input bad 2, gaps 1 | windows scored 360, dropped 0 (int8) | ' +
          'alerts raised 1, cleared 0 | outbox 0 pending | broker connected',
      },
    ]);
  });

  it('prints neither without the flags', () => {
    const p = opts(false, false);
    expect(send(p, 'thrum/pump-7/1/score', scorePayload)).toEqual([]);
    expect(send(p, 'thrum/pump-7/health', health)).toEqual([]);
  });

  it('names the variant in status lines and the position in a replayed file in alert lines', () => {
    const [online] = send(printer(), STATUS_TOPIC, status({ variant: 'fp32' }));
    expect(online!.line).toContain('ONLINE   bundle b-2025-11-25 (fp32), started');
    const [line] = send(
      printer(),
      ALERT_TOPIC,
      alert({ source: { file: '/data/fault.csv', sampleOffset: 191488, secondsFromStart: 59.84 } }),
    );
    expect(line!.line).toMatch(/\(1\.36x, int8\) .* at 59\.84 s in fault\.csv \(sample 191488\)$/);
  });
});
