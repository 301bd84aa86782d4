import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../../../shared/mqtt/contract.js';
import { SPEC } from '../../shared/bundle/bundle-fixture.js';
import { DEVICE_ID, fakeDaemon, HIGH, LOW, SENSOR_ID, THRESHOLD } from './fake-daemon.js';

// Alerts from a replayed file say where in the file they happened (issue #14): wall time alone cannot find the
// event in a recording replayed as fast as it reads.

describe('alerts from a file source', () => {
  it('carry the file, the sample offset and the seconds from the start; status and scores name the variant', async () => {
    const d = fakeDaemon({ config: { serial: { source: 'file', path: '/data/fault.csv' } } });
    d.daemon.start();
    await d.windows(10, LOW);
    await d.windows(3, HIGH);
    await d.windows(2, LOW);
    const [raised, cleared] = d.alerts();
    // 10 low windows (hop 128 after the first full window): the first high window starts at sample 10 * 128.
    expect(raised).toMatchObject({
      kind: 'raised',
      source: { file: '/data/fault.csv', sampleOffset: 1280, secondsFromStart: 1280 / SPEC.sampleRate },
    });
    expect(cleared).toMatchObject({ kind: 'cleared', source: { file: '/data/fault.csv' } });
    const clearedAt = (cleared!.source as { sampleOffset: number }).sampleOffset;
    expect(clearedAt).toBe(13 * 128 + SPEC.window);
    for (const a of [raised, cleared]) {
      expect(() => parseMessage(`thrum/${DEVICE_ID}/${SENSOR_ID}/alert`, JSON.stringify(a))).not.toThrow();
    }

    const status = d.sent(`${DEVICE_ID}/status`).at(-1)!.payload;
    expect(status).toMatchObject({ state: 'online', variant: 'int8' });
    await d.clock.advance(1000);
    const score = d.sent(`/${SENSOR_ID}/score`).at(-1)!.payload;
    expect(score).toMatchObject({ threshold: THRESHOLD, variant: 'int8' });
    expect(score.p50).toBeCloseTo(LOW * LOW, 4);
  });

  it('live sources leave source out', async () => {
    const d = fakeDaemon();
    d.daemon.start();
    await d.windows(2, HIGH);
    expect(d.alerts()[0]).not.toHaveProperty('source');
  });
});
