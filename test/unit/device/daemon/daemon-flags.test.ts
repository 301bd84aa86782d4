import { describe, expect, it } from 'vitest';
import { Daemon } from '../../../../device/daemon/daemon.js';

describe('Daemon.flags', () => {
  it('is empty when all is well', () => {
    expect(
      Daemon.flags({
        mqtt: { connected: true, paused: false },
        serial: { state: 'open' },
        outbox: { diskFull: false },
      }),
    ).toEqual([]);
  });

  it('raises each condition from its section', () => {
    expect(
      Daemon.flags({
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
    expect(Daemon.flags({ outbox: { diskFull: false, writeFailed: true } })).toEqual(['outboxWriteFailed']);
    expect(Daemon.flags({ serial: { state: 'silent' } })).toEqual(['serialSilent']);
  });
});
