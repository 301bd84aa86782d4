import { describe, expect, it } from 'vitest';
import { SPEC } from '../../shared/bundle/bundle-fixture.js';
import { fakeDaemon, SENSOR_ID } from './fake-daemon.js';
import { SampleEncoder } from './fakes.js';

// The daemon measures the rate it receives and flags a sender that is off (issue #14): a sensor configured for
// 800 Hz feeding a bundle trained at 1000 Hz scores nonsense without any other sign.

async function run(hz: number, source: Record<string, unknown>) {
  const d = fakeDaemon({ config: { serial: source, health: { intervalMs: 12_000 } } });
  const encoder = new SampleEncoder('csv', SENSOR_ID, SPEC.sampleRate);
  d.daemon.start();
  for (let t = 0; t < 12_000; t += 100) {
    d.source.write(encoder.next(hz / 10));
    await d.clock.advance(100);
  }
  return d.sent('/health').at(-1)!.payload as { flags: string[]; sections: Record<string, unknown> };
}

describe('received sample rate', () => {
  const serial = { source: 'serial', path: '/dev/ttyFAKE0' };

  it('raises sampleRateMismatch when a serial sensor sends 20 % slow', async () => {
    const health = await run(800, serial);
    expect(health.flags).toContain('sampleRateMismatch');
    expect(health.sections.rate).toMatchObject({ expectedHz: 1000, mismatch: true });
  });

  it('stays quiet at the configured rate', async () => {
    const health = await run(1000, serial);
    expect(health.flags).not.toContain('sampleRateMismatch');
    expect(health.sections.rate).toMatchObject({
      mismatch: false,
      sensors: { [SENSOR_ID]: { judged: true } },
    });
  });

  it('does not judge a source that is not real time (stdin)', async () => {
    const health = await run(800, { source: 'stdin' });
    expect(health.flags).not.toContain('sampleRateMismatch');
    expect(health.sections.rate).toBeUndefined();
  });
});
