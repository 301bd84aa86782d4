import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bytesPerSample, checkLine } from '../../../../device/config/line-capacity.js';
import { isPseudoTerminal } from '../../../../device/config/pty-path.js';
import { checkSerialLine } from '../../../../device/config/serial-line.js';
import { makeConfig } from '../daemon/fake-daemon.js';

// A 3-axis csv stream at 3200 Hz needs ~109 kB/s; 115200 baud carries 11.5 kB/s. Before this check the daemon
// started anyway and the sender silently dropped 90 % of the samples.

describe('line capacity', () => {
  it('measures bytes per sample with the shared encoders', () => {
    expect(bytesPerSample('csv', 3)).toBeGreaterThan(30);
    expect(bytesPerSample('csv', 3)).toBeLessThan(40);
    // int16 frames of 32 samples: 14 header + 192 samples + 4 CRC, COBS + delimiter, per 32 samples.
    expect(bytesPerSample('frames', 3)).toBeCloseTo(212 / 32, 1);
  });

  it('refuses a stream clearly over the line, warns within 10 %, passes below', () => {
    const csv = { format: 'csv', channels: 3, sampleRate: 3200 } as const;
    const over = checkLine({ ...csv, baudRate: 115200 });
    expect(over.verdict).toBe('over');
    expect(over.message).toMatch(/needs about 108,\d{3} B\/s .* carries 11,520 B\/s/);
    expect(over.message).toMatch(
      /raise serial\.baudRate to 1500000 .*use format: frames .*lower the sample rate/,
    );
    expect(checkLine({ ...csv, sampleRate: 2700, baudRate: 921600 }).verdict).toBe('warn');
    expect(checkLine({ ...csv, sampleRate: 800, baudRate: 921600 }).verdict).toBe('ok');
    expect(checkLine({ ...csv, format: 'frames', baudRate: 921600 }).verdict).toBe('ok');
    expect(checkLine({ ...csv, format: 'frames', baudRate: 115200 }).message).not.toMatch(
      /use format: frames/,
    );
  });

  const dir = mkdtempSync(join(tmpdir(), 'thrum-line-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('tells a pty (no UART, any rate) from a real device path', () => {
    const link = join(dir, 'virtual-cable');
    symlinkSync('/dev/pts/ptmx', link);
    expect(isPseudoTerminal(link)).toBe(true);
    expect(isPseudoTerminal('/dev/null')).toBe(false);
    expect(isPseudoTerminal(join(dir, 'not-plugged-in'))).toBe(false);
  });

  it('applies to source: serial on a real device path only, and throws BAD_CONFIG naming the key', () => {
    const serial = (s: Record<string, unknown>) =>
      makeConfig('csv', { serial: { source: 'serial', path: '/dev/ttyUSB9', baudRate: 9600, ...s } });
    expect(() => checkSerialLine(serial({}))).toThrow(/^thrum\.yaml: serial\.baudRate: csv at 1000 Hz/);
    expect(checkSerialLine(serial({ baudRate: 921600 }))?.verdict).toBe('ok');
    expect(checkSerialLine(serial({ path: join(dir, 'virtual-cable') }))).toBeUndefined();
    expect(checkSerialLine(makeConfig('csv', {}))).toBeUndefined(); // stdin
  });
});
