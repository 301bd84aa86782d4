import { describe, expect, it } from 'vitest';
import {
  createSystemdNotifier,
  type HealthSections,
  keepWatchdog,
  pipelineAndOutboxChecks,
} from '../../../../device/adapters/systemd-notify.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function fakeTimers() {
  let tick: (() => void) | undefined;
  return {
    timers: {
      setInterval: ((fn: () => void) => {
        tick = fn;
        return 1 as unknown as NodeJS.Timeout;
      }) as unknown as typeof setInterval,
      clearInterval: (() => {
        tick = undefined;
      }) as typeof clearInterval,
    },
    fire: () => tick?.(),
    get running() {
      return tick !== undefined;
    },
  };
}

describe('systemd notifier (sd_notify through systemd-notify)', () => {
  it('is a no-op outside a Type=notify unit', async () => {
    const sent: string[][] = [];
    const n = createSystemdNotifier({ env: {}, run: async (a) => void sent.push(a) });
    await n.ready('x');
    await n.watchdog();
    expect(n.active).toBe(false);
    expect(n.watchdogMs).toBeUndefined();
    expect(sent).toEqual([]);
  });

  it('sends READY=1 with a status, WATCHDOG=1 and STOPPING=1', async () => {
    const sent: string[][] = [];
    const n = createSystemdNotifier({
      env: { NOTIFY_SOCKET: '/run/systemd/notify', WATCHDOG_USEC: '60000000' },
      run: async (a) => void sent.push(a),
    });
    expect(n.watchdogMs).toBe(60_000);
    await n.ready('scoring serial /dev/ttyUSB0');
    await n.watchdog();
    await n.stopping('stopping: SIGTERM');
    expect(sent).toEqual([
      ['READY=1', 'STATUS=scoring serial /dev/ttyUSB0'],
      ['WATCHDOG=1'],
      ['STOPPING=1', 'STATUS=stopping: SIGTERM'],
    ]);
  });

  it('a failing systemd-notify is logged once and never throws', async () => {
    const warnings: object[] = [];
    const n = createSystemdNotifier({
      env: { NOTIFY_SOCKET: '/x' },
      log: { ...quiet, warn: (o: object) => void warnings.push(o) },
      run: async () => {
        throw new Error('ENOENT systemd-notify');
      },
    });
    await n.ready();
    await n.watchdog();
    expect(warnings).toHaveLength(1);
  });
});

describe('keepWatchdog', () => {
  it('pings every half period while healthy, withholds pings while a check fails, resumes after', async () => {
    const pings: number[] = [];
    const notifier = {
      active: true,
      watchdogMs: 20_000,
      ready: async () => {},
      watchdog: async () => void pings.push(1),
      stopping: async () => {},
      status: async () => {},
    };
    let problem: string | undefined;
    const warned: object[] = [];
    const t = fakeTimers();
    const stop = keepWatchdog(
      notifier,
      [() => problem],
      { ...quiet, warn: (o) => void warned.push(o) },
      t.timers,
    );
    expect(pings).toHaveLength(1); // at once
    t.fire();
    expect(pings).toHaveLength(2);
    problem = 'outbox quarantined';
    t.fire();
    t.fire();
    expect(pings).toHaveLength(2);
    expect(warned).toHaveLength(1); // said once while it lasts
    problem = undefined;
    t.fire();
    expect(pings).toHaveLength(3);
    stop();
    expect(t.running).toBe(false);
  });

  it('does nothing when the unit has no WatchdogSec', () => {
    const t = fakeTimers();
    keepWatchdog({ ...createSystemdNotifier({ env: {} }) }, [], quiet, t.timers);
    expect(t.running).toBe(false);
  });
});

describe('pipelineAndOutboxChecks (over the daemon health sections)', () => {
  it('fails on a quarantined or broken outbox, and on input that arrives without windows being scored', () => {
    let now = 0;
    const sections: HealthSections = {
      outbox: { depth: 0 },
      frames: { samples: 0 },
      inference: { scored: 0 },
    };
    const [outbox, pipeline] = pipelineAndOutboxChecks(() => sections, { stallMs: 10_000, now: () => now });
    expect(outbox!()).toBeUndefined();
    sections.outbox = { quarantinedTo: '/var/lib/thrum/outbox.db.corrupt' };
    expect(outbox!()).toMatch(/quarantined/);
    sections.outbox = { error: 'SQLITE_IOERR' };
    expect(outbox!()).toMatch(/SQLITE_IOERR/);

    // Samples and scores move: healthy.
    for (let i = 1; i <= 5; i++) {
      now += 5000;
      sections.frames = { samples: i * 1000 };
      sections.inference = { scored: i * 10 };
      expect(pipeline!()).toBeUndefined();
    }
    // No input (a silent sensor): not the watchdog's business (the source reconnects), still healthy.
    now += 60_000;
    expect(pipeline!()).toBeUndefined();
    // Input arrives but nothing is scored for longer than stallMs: stalled.
    const results: (string | undefined)[] = [];
    for (let i = 6; i <= 9; i++) {
      now += 5000;
      sections.frames = { samples: i * 1000 };
      results.push(pipeline!());
    }
    expect(results.slice(0, 2)).toEqual([undefined, undefined]);
    expect(results.at(-1)).toMatch(/pipeline stalled: input arrives but no window was scored for 20 s/);
  });
});
