import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { makeBundle } from '../../../fixtures/make-bundle.js';

// `thrum run --check-config` and the start-up refusals, through the real CLI: exit 0 with a summary, or
// exit 2 with one line naming the key or the file.

const ROOT = resolve(import.meta.dirname, '../../../..');
const dir = mkdtempSync(join(tmpdir(), 'thrum-check-config-'));
let bundle: string;

beforeAll(async () => {
  bundle = (await makeBundle({ dir: join(dir, 'bundle') })).dir;
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function config(edit: (c: Record<string, Record<string, unknown>>) => void = () => {}): string {
  const c: Record<string, Record<string, unknown>> = {
    device: { id: 'check-1' },
    serial: { path: '/dev/ttyUSB9', baudRate: 921600, channels: 3, sampleRate: 800 },
    model: { bundle },
    mqtt: { url: 'mqtt://127.0.0.1:1' },
    outbox: { path: join(dir, 'outbox.db') },
  };
  edit(c);
  const file = join(dir, `c${Math.random().toString(16).slice(2)}.yaml`);
  writeFileSync(file, stringify(c));
  return file;
}

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/thrum.js'), 'run', ...args], {
    encoding: 'utf8',
    env: { ...process.env, THRUM_MQTT_PASSWORD: 'not-printed-anywhere' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('thrum run --check-config', () => {
  it('accepts a good config: exit 0, a summary, nothing opened', () => {
    const r = run('--config', config(), '--check-config');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/: OK\n/);
    expect(r.stdout).toMatch(/hashes verified; int8 threshold .*fp32 threshold/);
    expect(r.stdout).toMatch(/line {7}csv at 800 Hz x 3 channels needs about [\d,]+ B\/s .*: \d+ % used/);
    expect(r.stdout).not.toContain('not-printed-anywhere');
    expect(() => readFileSync(join(dir, 'outbox.db'))).toThrow();
  });

  it('refuses a bad key with exit 2 and one line naming it', () => {
    const r = run(
      '--config',
      config((c) => (c.serial.format = 'json')),
      '--check-config',
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^thrum: c\w+\.yaml: serial\.format: expected one of "csv", "frames", got "json"/,
    );
  });

  it('refuses a config that does not fit the bundle (channels), naming both', () => {
    const r = run(
      '--config',
      config((c) => (c.serial.channels = 2)),
      '--check-config',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/serial\.channels is 2 but the bundle was trained on 3 \(x, y, z\)/);
  });

  it('refuses a stream the serial line cannot carry, with the numbers and the fixes, also at start', () => {
    const file = config((c) => (c.serial.baudRate = 115200));
    for (const args of [['--check-config'], []]) {
      const r = run('--config', file, ...args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(
        /serial\.baudRate: csv at 800 Hz x 3 channels needs about [\d,]+ B\/s .* carries 11,520 B\/s .*raise serial\.baudRate to \d+ .*use format: frames/,
      );
    }
    expect(() => readFileSync(join(dir, 'outbox.db'))).toThrow();
  });

  it('does not hold a pty to a baud rate (thrum sim --pty, socat): it carries any rate', () => {
    const link = join(dir, 'pty-link');
    spawnSync('ln', ['-sfn', '/dev/pts/ptmx', link]);
    const r = run(
      '--config',
      config((c) => (c.serial = { ...c.serial, path: link, baudRate: 9600 })),
      '--check-config',
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/line {7}not checked/);
  });

  it('refuses detector overrides the bundle cannot work with', () => {
    const r = run(
      '--config',
      config((c) => (c.detector = { n: 2 })),
      '--check-config',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/detector\.k \(\d+\) is larger than detector\.n \(2\)/);
  });

  it('refuses a tampered model file, naming it, also without --check-config (before opening anything)', () => {
    const tampered = join(dir, 'tampered');
    const copy = spawnSync('cp', ['-r', bundle, tampered]);
    expect(copy.status).toBe(0);
    const model = join(tampered, 'model.int8.onnx');
    const bytes = readFileSync(model);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(model, bytes);
    const file = config((c) => (c.model = { bundle: tampered, variant: 'int8' }));
    for (const args of [['--check-config'], []]) {
      const r = run('--config', file, ...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /model\.int8\.onnx: sha256 .* does not match manifest\.json files\.int8\.sha256/,
      );
    }
    expect(() => readFileSync(join(dir, 'outbox.db'))).toThrow();
  });

  it('explains itself in --help, with an example', () => {
    const r = run('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--check-config/);
    expect(r.stdout).toMatch(/thrum run --config \/etc\/thrum\/thrum\.yaml/);
  });
});
