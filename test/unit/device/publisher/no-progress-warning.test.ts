import { describe, expect, it } from 'vitest';
import type { ConnectionInfo } from '../../../../device/publisher/broker-client.js';
import { warnWithoutProgress } from '../../../../device/publisher/no-progress-warning.js';
import { FakeClock } from '../../../helpers/fake-clock.js';

/** The parts of a broker client the warning hooks into; `connect()` / `drop()` play the broker. */
function fakeClient() {
  const connects = new Set<(info: ConnectionInfo) => void>();
  const drops = new Set<(reason: string) => void>();
  const calls: string[] = [];
  return {
    calls,
    start: () => void calls.push('start'),
    end: async (_ms: number) => void calls.push('end'),
    onConnect: (l: (info: ConnectionInfo) => void) => {
      connects.add(l);
      return () => connects.delete(l);
    },
    onDisconnect: (l: (reason: string) => void) => {
      drops.add(l);
      return () => drops.delete(l);
    },
    connect: () => {
      for (const l of connects) l({ protocolVersion: 5 });
    },
    drop: () => {
      for (const l of drops) l('connection lost');
    },
  };
}

function setup() {
  const clock = new FakeClock();
  const warnings: Array<Record<string, unknown>> = [];
  const log = {
    debug() {},
    info() {},
    error() {},
    warn: (o: object) => void warnings.push(o as Record<string, unknown>),
  };
  const client = warnWithoutProgress(fakeClient(), {
    connectTimeoutMs: 10_000,
    broker: 'mqtts://***@broker:8883',
    clientId: 'thrum-pump-7',
    log,
    clock,
  });
  return { clock, warnings, client };
}

describe('warnWithoutProgress', () => {
  it('warns mqtt.no-progress after 2 x connectTimeoutMs without a connect, then at doubling intervals', async () => {
    const { clock, warnings, client } = setup();
    client.start();
    expect(client.calls).toEqual(['start']);
    await clock.advance(19_999);
    expect(warnings).toHaveLength(0);
    await clock.advance(1);
    expect(warnings).toEqual([
      {
        event: 'mqtt.no-progress',
        broker: 'mqtts://***@broker:8883',
        clientId: 'thrum-pump-7',
        waitedMs: 20_000,
      },
    ]);
    await clock.advance(40_000);
    await clock.advance(80_000);
    expect(warnings.map((w) => w.waitedMs)).toEqual([20_000, 60_000, 140_000]);
  });

  it('says nothing once connected, and starts counting again when the connection drops', async () => {
    const { clock, warnings, client } = setup();
    client.start();
    await clock.advance(5_000);
    client.connect();
    await clock.advance(600_000);
    expect(warnings).toHaveLength(0);
    client.drop();
    await clock.advance(20_000);
    expect(warnings.map((w) => w.waitedMs)).toEqual([20_000]);
  });

  it('stops with end(): no warning about a client that was told to stop', async () => {
    const { clock, warnings, client } = setup();
    client.start();
    await client.end(100);
    expect(client.calls).toEqual(['start', 'end']);
    await clock.advance(600_000);
    expect(warnings).toHaveLength(0);
    expect(clock.pendingTimers).toBe(0);
  });
});
