import { describe, expect, it } from 'vitest';
import { statusText } from '../../../../device/daemon/status-log.js';
import { fakeDaemon, HIGH, LOW } from './fake-daemon.js';

describe('daemon.status', () => {
  it('reads as one line an operator understands', () => {
    const reading = {
      scored: 0,
      lastScore: 0.8312,
      threshold: 1.4559,
      variant: 'int8' as const,
      raised: 1,
      cleared: 0,
      outboxPending: 0,
      brokerConnected: true,
    };
    expect(statusText(reading, 6.2)).toBe(
      'scoring 6.2 windows/s, last score 0.8312 (threshold 1.456, int8), alerts raised 1, outbox 0 pending, broker connected',
    );
    expect(
      statusText(
        {
          ...reading,
          lastScore: undefined,
          cleared: 1,
          brokerConnected: false,
          rateMismatch: { measuredHz: 799.6, expectedHz: 1000 },
        },
        0,
      ),
    ).toBe(
      'scoring 0.0 windows/s, no score yet (threshold 1.456, int8), alerts raised 1, cleared 1, outbox 0 pending, broker disconnected, receiving 800 Hz, expected 1000 Hz',
    );
  });

  it('is logged every status.intervalMs with the scoring rate of the period', async () => {
    const d = fakeDaemon({ config: { status: { intervalMs: 10_000 } } });
    d.daemon.start();
    await d.windows(20, LOW);
    await d.windows(1, HIGH);
    await d.clock.advance(9_999);
    expect(d.log.events('daemon.status')).toEqual([]);
    await d.clock.advance(1);
    const [status] = d.log.events('daemon.status');
    expect(status!.level).toBe('info');
    expect(status!.msg).toMatch(
      /^scoring 2\.1 windows\/s, last score 9 \(threshold 1\.5, int8\), alerts raised 1, outbox \d+ pending, broker connected$/,
    );
    expect(status!.fields).toMatchObject({ windowsPerSecond: 2.1, raised: 1, variant: 'int8' });
    await d.clock.advance(10_000);
    expect(d.log.events('daemon.status')[1]!.msg).toMatch(/^scoring 0\.0 windows\/s/);
  });
});
