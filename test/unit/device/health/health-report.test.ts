import { describe, expect, it } from 'vitest';
import { HealthReporter } from '../../../../device/health/health-report.js';
import { healthSchema } from '../../../../shared/mqtt/health.js';

describe('HealthReporter', () => {
  it('collects every source into a valid health payload with the flags the sections imply', () => {
    const reporter = new HealthReporter({
      deviceId: 'pump-7',
      startedAt: 1_000,
      sources: [
        { name: 'frames', snapshot: () => ({ records: 10, bad: 2 }) },
        { name: 'outbox', snapshot: () => ({ depth: 3, diskFull: true }) },
      ],
      flags: (s) => (s.outbox?.diskFull ? ['outboxDiskFull'] : []),
      memory: () => ({ rss: 123, heapUsed: 45 }),
    });
    const report = reporter.report(61_000);
    expect(healthSchema.parse(report)).toEqual({
      deviceId: 'pump-7',
      at: '1970-01-01T00:01:01.000Z',
      uptimeMs: 60_000,
      flags: ['outboxDiskFull'],
      sections: { frames: { records: 10, bad: 2 }, outbox: { depth: 3, diskFull: true } },
      process: { rssBytes: 123, heapUsedBytes: 45 },
    });
  });

  it('reports a failing source as its error and keeps the others', () => {
    const reporter = new HealthReporter({
      deviceId: 'd',
      startedAt: 0,
      sources: [
        {
          name: 'serial',
          snapshot: () => {
            throw new Error('port gone');
          },
        },
        { name: 'mqtt', snapshot: () => ({ connected: false }) },
      ],
      flags: () => [],
    });
    expect(reporter.report(5).sections).toEqual({
      serial: { error: 'port gone' },
      mqtt: { connected: false },
    });
  });
});
