import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadConfig, PASSWORD_ENV } from '../../../../device/config/load-config.js';
import { ThrumError } from '../../../../shared/errors.js';

let dir: string;

const valid = () => ({
  device: { id: 'pump-7' },
  serial: { path: '/dev/ttyUSB0', channels: 3, sampleRate: 1000 },
  model: { bundle: './bundle' },
  mqtt: { url: 'mqtt://localhost:1883' },
  outbox: { path: './outbox.db' },
});

type Doc = Record<string, Record<string, unknown>>;

function write(doc: unknown, name = 'thrum.yaml'): string {
  const file = join(dir, name);
  writeFileSync(file, typeof doc === 'string' ? doc : stringify(doc));
  return file;
}

function with_(edit: (d: Doc) => void): Doc {
  const d = valid() as unknown as Doc;
  edit(d);
  return d;
}

function failure(file: string, env: NodeJS.ProcessEnv = {}): ThrumError {
  try {
    loadConfig(file, env);
  } catch (err) {
    return err as ThrumError;
  }
  throw new Error('expected loadConfig to throw');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'thrum-config-'));
  mkdirSync(join(dir, 'bundle'));
  writeFileSync(join(dir, 'secret.txt'), 's3cret-from-file\n');
  writeFileSync(join(dir, 'empty.txt'), '');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadConfig: a valid file', () => {
  it('fills defaults and resolves paths against the config directory', () => {
    const config = loadConfig(write(valid()), {});
    expect(config.serial).toMatchObject({ source: 'serial', format: 'csv', baudRate: 115200, sensorId: 0 });
    expect(config.model).toEqual({
      bundle: join(dir, 'bundle'),
      variant: 'auto',
      trustedKeys: [],
      engine: 'auto',
    });
    expect(config.mqtt).toMatchObject({ protocolVersion: 'auto', topicPrefix: 'thrum', keepalive: 30 });
    expect(config.outbox.path).toBe(join(dir, 'outbox.db'));
    expect(config.outbox.maxBytes).toBeGreaterThan(0);
    expect(config.log.level).toBe('info');
    expect(config.detector).toEqual({});
    expect(config.mqtt.password).toBeUndefined();
  });

  it('reads the password from passwordFile, and the environment variable wins over it', () => {
    const file = write(with_((d) => (d.mqtt.passwordFile = 'secret.txt')));
    expect(loadConfig(file, {}).mqtt.password).toBe('s3cret-from-file');
    expect(loadConfig(file, { [PASSWORD_ENV]: 'from-env' }).mqtt.password).toBe('from-env');
  });

  it('keeps detector overrides and explicit protocol versions', () => {
    const file = write(
      with_((d) => {
        d.detector = { k: 2, n: 5, threshold: 0.5, clearPeakRatio: 0.05 };
        d.mqtt.protocolVersion = 4;
      }),
    );
    const config = loadConfig(file, {});
    expect(config.detector).toEqual({ k: 2, n: 5, threshold: 0.5, clearPeakRatio: 0.05 });
    expect(config.mqtt.protocolVersion).toBe(4);
  });
});

// Each row: a bad edit, the key the one-line error must name, and a fragment it must contain.
const BAD: Array<[string, (d: Doc) => void, string, RegExp]> = [
  ['missing device.id', (d) => delete d.device.id, 'device.id', /missing; expected a string/],
  ['device id with a slash', (d) => (d.device.id = 'a/b'), 'device.id', /must not contain "\/".*got "a\/b"/],
  [
    'negative baud rate',
    (d) => (d.serial.baudRate = -9600),
    'serial.baudRate',
    /expected a positive integer, got -9600/,
  ],
  [
    'fractional channel count',
    (d) => (d.serial.channels = 2.5),
    'serial.channels',
    /expected an integer > 0 and <= 64, got 2.5/,
  ],
  [
    'unknown wire format',
    (d) => (d.serial.format = 'json'),
    'serial.format',
    /expected one of "csv", "frames", got "json"/,
  ],
  [
    'unknown source',
    (d) => (d.serial.source = 'usb'),
    'serial.source',
    /one of "serial", "file", "stdin", got "usb"/,
  ],
  [
    'serial without a path',
    (d) => delete d.serial.path,
    'serial.path',
    /required when serial.source is "serial"/,
  ],
  [
    'sample rate as text',
    (d) => (d.serial.sampleRate = 'fast'),
    'serial.sampleRate',
    /expected a positive number, got "fast"/,
  ],
  [
    'bad model variant',
    (d) => (d.model.variant = 'int4'),
    'model.variant',
    /"int8", "fp32", "auto", got "int4"/,
  ],
  ['bundle that does not exist', (d) => (d.model.bundle = 'nope'), 'model.bundle', /does not exist/],
  [
    'MQTT protocol 6',
    (d) => (d.mqtt.protocolVersion = 6),
    'mqtt.protocolVersion',
    /expected 5 or 4 or "auto", got 6/,
  ],
  ['broker URL without scheme', (d) => (d.mqtt.url = 'localhost:1883'), 'mqtt.url', /broker URL/],
  [
    'inline password',
    (d) => (d.mqtt.password = 'hunter2'),
    'mqtt.password',
    /passwordFile or in the THRUM_MQTT/,
  ],
  [
    'missing password file',
    (d) => (d.mqtt.passwordFile = 'missing.txt'),
    'mqtt.passwordFile',
    /does not exist/,
  ],
  ['empty password file', (d) => (d.mqtt.passwordFile = 'empty.txt'), 'mqtt.passwordFile', /is empty/],
  ['cert without key', (d) => (d.mqtt.cert = 'secret.txt'), 'mqtt.key', /both mqtt.cert and mqtt.key/],
  [
    'misspelt key',
    (d) => (d.serial.baudrate = 9600),
    'serial',
    /unknown key "baudrate" \(did you mean "baudRate"\?\)/,
  ],
  ['unknown section', (d) => (d.mqqt = {}), '', /unknown key "mqqt" \(did you mean "mqtt"\?\)/],
  [
    'prefix starting with $',
    (d) => (d.mqtt.topicPrefix = '$SYS'),
    'mqtt.topicPrefix',
    /must not start with "\$"/,
  ],
  ['outbox in a missing dir', (d) => (d.outbox.path = 'no/such/dir/o.db'), 'outbox.path', /create /],
  [
    'outbox bound too small',
    (d) => (d.outbox.maxBytes = 10),
    'outbox.maxBytes',
    /expected an integer >= 4096, got 10/,
  ],
  [
    'detector k above n',
    (d) => (d.detector = { k: 5, n: 3 }),
    'detector.k',
    /expected at most detector.n \(3\), got 5/,
  ],
  [
    'detector peak clear ratio of 1 (would clear every episode at once)',
    (d) => (d.detector = { clearPeakRatio: 1 }),
    'detector.clearPeakRatio',
    /got 1/,
  ],
  ['bad log level', (d) => (d.log = { level: 'loud' }), 'log.level', /got "loud"/],
  [
    'health interval zero',
    (d) => (d.health = { intervalMs: 0 }),
    'health.intervalMs',
    /expected a positive integer, got 0/,
  ],
  [
    'section as a scalar',
    (d) => (d.mqtt = 'mqtt://x' as never),
    'mqtt',
    /expected an object \(key: value mapping\), got "mqtt:\/\/x"/,
  ],
  [
    'reconnect cap below base',
    (d) => (d.mqtt.reconnectMaxMs = 10),
    'mqtt.reconnectMaxMs',
    /at least mqtt.reconnectPeriodMs/,
  ],
];

describe('loadConfig: bad configs name the key, what was expected and what was seen', () => {
  it.each(BAD)('%s', (_name, edit, key, fragment) => {
    const err = failure(write(with_(edit)));
    expect(err).toBeInstanceOf(ThrumError);
    expect(err.code).toBe('BAD_CONFIG');
    expect(err.exitCode).toBe(2);
    expect(err.message).not.toContain('\n');
    expect(err.message.startsWith(key ? `thrum.yaml: ${key}:` : 'thrum.yaml: ')).toBe(true);
    expect(err.message).toMatch(fragment);
  });

  it('never echoes an inline password', () => {
    const err = failure(write(with_((d) => (d.mqtt.password = 'hunter2'))));
    expect(err.message).not.toContain('hunter2');
  });

  it('reports a YAML syntax error with its line and column', () => {
    const err = failure(write('device:\n  id: a\nserial: [1, 2\n'));
    expect(err.code).toBe('BAD_CONFIG');
    expect(err.message).toMatch(/^thrum\.yaml:\d+:\d+: invalid YAML/);
  });

  it('reports duplicate keys', () => {
    const err = failure(write('device:\n  id: a\n  id: b\n'));
    expect(err.message).toMatch(/invalid YAML/);
  });

  it('reports an empty file and a missing file', () => {
    expect(failure(write('')).message).toMatch(/the file is empty/);
    expect(failure(join(dir, 'absent.yaml')).message).toMatch(
      /cannot read config .*absent\.yaml \(no such file\)/,
    );
  });

  it('lists several problems on the same line', () => {
    const err = failure(
      write(
        with_((d) => {
          d.serial.channels = -1;
          d.serial.format = 'x';
        }),
      ),
    );
    expect(err.message).not.toContain('\n');
    expect(err.message).toMatch(/serial\.format: .*; serial\.channels: .*got -1/);
  });
});
