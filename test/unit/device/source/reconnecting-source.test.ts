import { describe, expect, it } from 'vitest';
import { createReconnectingSource } from '../../../../device/source/reconnecting-source.js';
import type { SourceStatus } from '../../../../device/source/sensor-source.js';
import type { Log } from '../../../../shared/log.js';
import { FakePortDriver } from './fake-port-driver.js';
import { VirtualClock } from './virtual-time.js';

/** Records log lines; tests look at their `event` (docs/logging.md), never at the message text. */
function recordingLogger() {
  const lines: { level: string; event: unknown; fields: object }[] = [];
  const at =
    (level: string) =>
    (fields: object): void => {
      lines.push({ level, event: (fields as { event?: unknown }).event, fields });
    };
  const logger: Log = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  /** Events above debug, in order. */
  const above = () => lines.filter((l) => l.level !== 'debug').map((l) => l.event);
  const count = (event: string) => lines.filter((l) => l.event === event).length;
  return { logger, lines, above, count };
}

function setup(opts: { present?: boolean; silenceMs?: number } = {}) {
  const clock = new VirtualClock();
  const driver = new FakePortDriver();
  driver.present = opts.present ?? true;
  const log = recordingLogger();
  const source = createReconnectingSource(driver, {
    scheduler: clock.scheduler,
    logger: log.logger,
    silenceMs: opts.silenceMs ?? 5_000,
    backoff: { initialMs: 100, maxMs: 1_000, factor: 2 },
  });
  const states: SourceStatus[] = [];
  source.state$.subscribe((s) => states.push(s));
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  const start = () => source.chunks$.subscribe((c) => chunks.push(decoder.decode(c)));
  const stateNames = () => states.map((s) => s.state);
  return { clock, driver, log, source, chunks, start, stateNames };
}

describe('createReconnectingSource', () => {
  it('opens on subscribe and passes chunks through, counting bytes', async () => {
    const t = setup();
    t.start();
    await t.clock.advance(0);
    t.driver.send('1,2,3\n');
    t.driver.send('4,5,6\n');
    expect(t.chunks).toEqual(['1,2,3\n', '4,5,6\n']);
    expect(t.source.counters).toMatchObject({ bytes: 12, chunks: 2, reconnects: 0, openFailures: 0 });
    expect(t.stateNames()).toEqual(['idle', 'opening', 'open']);
  });

  it('retries a missing port with capped exponential backoff and logs the outage once', async () => {
    const t = setup({ present: false });
    t.start();
    await t.clock.advance(0);
    expect(t.driver.opens).toBe(1);
    // Retries at +100, +200, +400, +800, then every 1000 (cap): opens at 100, 300, 700, 1500, 2500, 3500.
    await t.clock.advance(3_500);
    expect(t.driver.opens).toBe(7);
    expect(t.source.counters.openFailures).toBe(7);
    t.driver.present = true;
    await t.clock.advance(1_000);
    expect(t.driver.isOpen).toBe(true);
    t.driver.send('ok\n');
    expect(t.chunks).toEqual(['ok\n']);
    expect(t.stateNames()).toEqual(['idle', 'opening', 'reconnecting', 'open']);
    expect(t.log.above()).toEqual(['source.reconnecting', 'source.open']);
    // Each failed attempt is a debug line: a retry scheduled, and (after the first) the state unchanged.
    expect(t.log.count('source.retry.scheduled')).toBe(7);
    expect(t.log.count('source.unchanged')).toBe(6);
    expect(t.log.lines.filter((l) => typeof l.event !== 'string')).toEqual([]);
    expect(t.source.counters.reconnects).toBe(1);
  });

  it('reconnects after an unplug without resubscribing, and resets the backoff once open', async () => {
    const t = setup();
    t.start();
    await t.clock.advance(0);
    t.driver.send('a');
    t.driver.unplug();
    await t.clock.advance(1_000);
    expect(t.stateNames().at(-1)).toBe('reconnecting');
    t.driver.present = true;
    await t.clock.advance(1_000);
    t.driver.send('b');
    expect(t.chunks).toEqual(['a', 'b']);
    expect(t.source.counters.reconnects).toBe(1);

    // A second unplug retries after initialMs again, not after the grown delay.
    const opensBefore = t.driver.opens;
    t.driver.unplug();
    t.driver.present = true;
    await t.clock.advance(100);
    expect(t.driver.opens).toBe(opensBefore + 1);
    expect(t.driver.isOpen).toBe(true);
    expect(t.source.counters.reconnects).toBe(2);
  });

  it('reopens a port that went quiet, logs the silence once, and is open again when bytes flow', async () => {
    const t = setup({ silenceMs: 5_000 });
    t.start();
    await t.clock.advance(0);
    t.driver.send('x');
    await t.clock.advance(4_999);
    expect(t.source.counters.watchdogReopens).toBe(0);
    await t.clock.advance(1);
    expect(t.source.counters.watchdogReopens).toBe(1);
    expect(t.driver.closes).toBe(1);
    expect(t.driver.opens).toBe(2);
    // Still quiet: reopened every silence period, logged once.
    await t.clock.advance(10_000);
    expect(t.source.counters.watchdogReopens).toBe(3);
    expect(t.log.above().filter((e) => e === 'source.silent')).toHaveLength(1);
    t.driver.send('y');
    expect(t.stateNames()).toEqual(['idle', 'opening', 'open', 'silent', 'open']);
    expect(t.log.above()).toEqual(['source.open', 'source.silent', 'source.open']);
    expect(t.chunks).toEqual(['x', 'y']);
    expect(t.source.counters.reconnects).toBe(0);
  });

  it('waits quietly for a port that has not sent anything yet: one info line, no warning per reopen', async () => {
    const t = setup({ silenceMs: 5_000 });
    t.start();
    await t.clock.advance(60_000);
    expect(t.source.counters.watchdogReopens).toBe(12);
    expect(t.stateNames()).toEqual(['idle', 'opening', 'open', 'waiting']);
    expect(t.log.above()).toEqual(['source.open', 'source.waiting']);
    expect(t.log.lines.filter((l) => l.level === 'warn')).toEqual([]);
    // The first bytes: open, and from now on a silence is a warning again.
    t.driver.send('1,2,3\n');
    expect(t.stateNames().at(-1)).toBe('open');
    await t.clock.advance(5_000);
    expect(t.stateNames().at(-1)).toBe('silent');
    expect(t.log.lines.filter((l) => l.level === 'warn').map((l) => l.event)).toEqual(['source.silent']);
  });

  it('does not fire the watchdog while bytes keep arriving', async () => {
    const t = setup({ silenceMs: 1_000 });
    t.start();
    await t.clock.advance(0);
    for (let i = 0; i < 20; i++) {
      t.driver.send('.');
      await t.clock.advance(900);
    }
    expect(t.source.counters.watchdogReopens).toBe(0);
    expect(t.driver.opens).toBe(1);
  });

  it('closes the port on unsubscribe and schedules nothing afterwards', async () => {
    const t = setup({ present: false });
    const sub = t.start();
    await t.clock.advance(150);
    sub.unsubscribe();
    await t.clock.advance(0);
    const opens = t.driver.opens;
    await t.clock.advance(60_000);
    expect(t.driver.opens).toBe(opens);
    expect(t.clock.scheduler.actions.filter((a) => !a.closed)).toHaveLength(0);
    expect(t.stateNames().at(-1)).toBe('closed');
  });

  it('shares one port between subscribers', async () => {
    const t = setup();
    const a = t.start();
    const b = t.start();
    await t.clock.advance(0);
    t.driver.send('z');
    expect(t.chunks).toEqual(['z', 'z']);
    expect(t.driver.opens).toBe(1);
    a.unsubscribe();
    b.unsubscribe();
    await t.clock.advance(0);
    expect(t.driver.closes).toBe(1);
  });
});
