import { describe, expect, it } from 'vitest';
import { healthFlags } from '../../../../device/daemon/health-sections.js';
import { parseMessage } from '../../../../shared/mqtt/contract.js';
import { DEVICE_ID, fakeDaemon, LOW } from './fake-daemon.js';

// What a daemon says about its bundle: `signed`, `keyId` and `selfTest` in the retained status (and the Last
// Will), a `bundle` health section, and the `bundleUnsigned` flag.

const raw = (m: { topic: string; payload: unknown }) => parseMessage(m.topic, JSON.stringify(m.payload));

describe('the bundle in status and health', () => {
  it('an unsigned bundle: signed false in status, flag bundleUnsigned in health', async () => {
    const d = fakeDaemon({ provenance: { signed: false, selfTest: { maxRelError: 0, windows: 16 } } });
    d.daemon.start();
    await d.windows(2, LOW);
    const [status] = d.sent('/status');
    expect(status!.payload).toMatchObject({
      state: 'online',
      signed: false,
      selfTest: { maxRelError: 0, windows: 16 },
    });
    expect(status!.payload).not.toHaveProperty('keyId');
    // The contract accepts what the daemon publishes.
    expect(raw(status!)).toMatchObject({ kind: 'status', payload: { signed: false } });

    await d.clock.advance(5000);
    const [health] = d.sent(`${DEVICE_ID}/health`);
    expect(health!.payload).toMatchObject({
      flags: ['bundleUnsigned'],
      sections: { bundle: { signed: false, selfTest: { windows: 16 } } },
    });
  });

  it('a signed bundle: signed true and the key id, no flag; an old bundle reports its self-test as skipped', async () => {
    const d = fakeDaemon({ provenance: { signed: true, keyId: '0123456789abcdef', selfTest: 'skipped' } });
    d.daemon.start();
    await d.windows(2, LOW);
    const [status] = d.sent('/status');
    expect(status!.payload).toMatchObject({ signed: true, keyId: '0123456789abcdef', selfTest: 'skipped' });
    expect(raw(status!)).toMatchObject({ payload: { selfTest: 'skipped' } });
    await d.clock.advance(5000);
    expect(d.sent(`${DEVICE_ID}/health`)[0]!.payload).toMatchObject({ flags: [] });
  });

  it('raises bundleUnsigned only from a bundle section that says signed: false', () => {
    expect(healthFlags({ bundle: { signed: false } })).toEqual(['bundleUnsigned']);
    expect(healthFlags({ bundle: { signed: true } })).toEqual([]);
    expect(healthFlags({})).toEqual([]);
  });
});
