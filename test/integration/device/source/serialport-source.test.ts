import { SerialPort } from 'serialport';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createSerialSource } from '../../../../device/adapters/serialport-source.js';
import type { SensorSource, SourceState } from '../../../../device/source/sensor-source.js';
import { waitUntil } from '../../../../scripts/process/wait-until.js';
import { createPtyPair, describeWithSocat, type PtyPair } from '../../../helpers/pty-pair.js';

/** The sending end of the cable, like a sensor's UART. */
function openWriter(path: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
    port.on('error', () => {}); // EIO when the pair is unplugged under it
    port.open((error) => (error ? reject(error) : resolve(port)));
  });
}

function closeQuietly(port: SerialPort | undefined): Promise<void> {
  return new Promise((resolve) => (port?.isOpen ? port.close(() => resolve()) : resolve()));
}

describeWithSocat('serialport source on a socat pty pair', () => {
  let pair: PtyPair;
  let writer: SerialPort | undefined;
  let source: SensorSource;
  let received: string;
  let states: SourceState[];
  let stop: () => void;

  const start = (silenceMs: number) => {
    source = createSerialSource(
      { path: pair.b, baudRate: 115200 },
      { silenceMs, backoff: { initialMs: 50, maxMs: 400, factor: 2 } },
    );
    received = '';
    states = [];
    const decoder = new TextDecoder();
    const s1 = source.state$.subscribe((s) => states.push(s.state));
    const s2 = source.chunks$.subscribe((c) => {
      received += decoder.decode(c);
    });
    stop = () => {
      s2.unsubscribe();
      s1.unsubscribe();
    };
  };
  const waitFor = (what: string, probe: () => boolean, ms = 5_000) => waitUntil(probe, ms, what);

  beforeEach(async () => {
    pair = await createPtyPair();
    writer = await openWriter(pair.a);
  });

  afterEach(async () => {
    stop?.();
    await closeQuietly(writer);
    await pair.close();
  });

  it('delivers the bytes written at the other end', async () => {
    start(0);
    await waitFor('port open', () => states.includes('open'));
    writer!.write('1.0,2.0,3.0\n4.0,5.0,6.0\n');
    await waitFor('both lines', () => received === '1.0,2.0,3.0\n4.0,5.0,6.0\n');
    expect(source.counters.bytes).toBe(24);
  });

  it('reconnects after an unplug and data flows again without resubscribing', async () => {
    start(0);
    await waitFor('port open', () => states.includes('open'));
    writer!.write('before\n');
    await waitFor('data before the unplug', () => received === 'before\n');

    await pair.unplug();
    await waitFor('reconnecting', () => states.at(-1) === 'reconnecting');
    // Let a few retries fail while the port is gone.
    await waitFor('failed retries', () => source.counters.openFailures >= 2);

    await pair.replug();
    await waitFor('open again', () => states.at(-1) === 'open');
    writer = await openWriter(pair.a);
    writer.write('after\n');
    await waitFor('data after the replug', () => received === 'before\nafter\n');
    expect(source.counters.reconnects).toBe(1);
    expect(states.filter((s) => s === 'reconnecting')).toHaveLength(1);
  });

  it('reopens the port when it goes silent, then reads again', async () => {
    start(300);
    await waitFor('port open', () => states.includes('open'));
    writer!.write('tick\n');
    await waitFor('first data', () => received === 'tick\n');
    await waitFor(
      'watchdog reopen',
      () => source.counters.watchdogReopens >= 1 && states.at(-1) === 'silent',
    );
    // Bytes sent while the port is being reopened are flushed by the open, as with a real UART: keep
    // sending, like a sensor that streams, until they come through.
    const sender = setInterval(() => writer!.write('tock\n'), 50);
    try {
      await waitFor('data after the reopen', () => received.includes('tock\n'));
    } finally {
      clearInterval(sender);
    }
    expect(received).toMatch(/^tick\n(tock\n)+$/);
    expect(states.at(-1)).toBe('open');
  });
});
