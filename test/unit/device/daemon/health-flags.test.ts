import { describe, expect, it } from 'vitest';
import { healthFlags } from '../../../../device/daemon/health-sections.js';

describe('healthFlags', () => {
  it('is empty when all is well', () => {
    expect(
      healthFlags({
        mqtt: { connected: true, paused: false },
        serial: { state: 'open' },
        outbox: { diskFull: false },
      }),
    ).toEqual([]);
  });

  it('raises each condition from its section', () => {
    expect(
      healthFlags({
        mqtt: { connected: false, paused: true },
        serial: { state: 'reconnecting' },
        outbox: { diskFull: true, writeFailed: true, quarantinedTo: '/x.corrupt-1' },
      }),
    ).toEqual([
      'brokerDisconnected',
      'serialSilent',
      'outboxDiskFull',
      'outboxQuarantined',
      'publishRejected',
      'outboxWriteFailed',
    ]);
    expect(healthFlags({ outbox: { diskFull: false, writeFailed: true } })).toEqual(['outboxWriteFailed']);
    expect(healthFlags({ serial: { state: 'silent' } })).toEqual(['serialSilent']);
    expect(healthFlags({ serial: { state: 'waiting' } })).toEqual(['serialSilent']);
    expect(healthFlags({ rate: { mismatch: true } })).toEqual(['sampleRateMismatch']);
  });
});
