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
  // #13 item 5: credentials in the URL bypassed the inline-password rule.
  [
    'password in the broker URL',
    (d) => (d.mqtt.url = 'mqtt://pump-7:S3cret@localhost:1883'),
    'mqtt.url',
    /must not hold a user name or password .*mqtt\.username .*mqtt\.passwordFile.*got "mqtt:\/\/\*\*\*@localhost:1883"/,
  ],
  [
    'user name in the broker URL',
    (d) => (d.mqtt.url = 'mqtts://pump-7@h:8883'),
    'mqtt.url',
    /user name or password/,
  ],
  // #13 item 8: port 99999 passed the check and died in net.connect (ERR_SOCKET_BAD_PORT).
  [
    'broker port out of range',
    (d) => (d.mqtt.url = 'mqtt://h:99999'),
    'mqtt.url',
    /port 99999 is out of range: expected 1 to 65535/,
  ],
  ['broker port 0', (d) => (d.mqtt.url = 'mqtt://h:0'), 'mqtt.url', /port 0 is out of range/],
  ['broker URL without host', (d) => (d.mqtt.url = 'mqtt://:1883'), 'mqtt.url', /not a valid URL|no host/],
  [
    'client id in the URL',
    (d) => (d.mqtt.url = 'mqtt://h:1883?clientId=x'),
    'mqtt.url',
    /set mqtt\.clientId/,
  ],
  // #13 item 7: ids MQTT brokers refuse (mosquitto drops the CONNECT) were accepted.
  [
    'device id with a control character',
    (d) => (d.device.id = 'pump\u00017'),
    'device.id',
    /control character U\+0001, got "pump\\u00017"/,
  ],
  ['device id with DEL', (d) => (d.device.id = 'pump\u007f'), 'device.id', /control character U\+007F/],
  [
    'device id with a C1 control',
    (d) => (d.device.id = 'pump\u0085'),
    'device.id',
    /control character U\+0085/,
  ],
  ['device id with U+FFFF', (d) => (d.device.id = 'pump\uffff'), 'device.id', /noncharacter U\+FFFF/],
  ['device id with U+FDD0', (d) => (d.device.id = 'p\ufdd0'), 'device.id', /noncharacter U\+FDD0/],
  ['device id with U+1FFFF', (d) => (d.device.id = 'p\u{1ffff}'), 'device.id', /noncharacter U\+1FFFF/],
  ['device id with NUL', (d) => (d.device.id = 'a\0b'), 'device.id', /NUL/],
  ['device id with +', (d) => (d.device.id = 'a+b'), 'device.id', /"\+"/],
  ['device id with #', (d) => (d.device.id = 'a#'), 'device.id', /"#"/],
  ['device id with a space inside', (d) => (d.device.id = 'pump 7'), 'device.id', /whitespace \(U\+0020\)/],
  [
    'device id with a no-break space',
    (d) => (d.device.id = 'pump\u00a07'),
    'device.id',
    /whitespace \(U\+00A0\)/,
  ],
  [
    'device id of 65 bytes',
    (d) => (d.device.id = 'a'.repeat(65)),
    'device.id',
    /at most 64 bytes of UTF-8 \(it has 65 bytes\)/,
  ],
  ['device id of 33 two-byte letters', (d) => (d.device.id = 'ö'.repeat(33)), 'device.id', /it has 66 bytes/],
  [
    'device id of 70,000 characters',
    (d) => (d.device.id = 'x'.repeat(70_000)),
    'device.id',
    /at most 64 bytes/,
  ],
  [
    'prefix level with a control character',
    (d) => (d.mqtt.topicPrefix = 'plant\u001b/thrum'),
    'mqtt.topicPrefix',
    /U\+001B/,
  ],
  [
    'prefix over 256 bytes',
    (d) => (d.mqtt.topicPrefix = Array(9).fill('a'.repeat(30)).join('/')),
    'mqtt.topicPrefix',
    /at most 256 bytes/,
  ],
  [
    'client id with U+FFFE',
    (d) => (d.mqtt.clientId = 'thrum\ufffe'),
    'mqtt.clientId',
    /noncharacter U\+FFFE/,
  ],
  [
    'client id over 128 bytes',
    (d) => (d.mqtt.clientId = 'c'.repeat(129)),
    'mqtt.clientId',
    /at most 128 bytes/,
  ],
  ['user name with a control character', (d) => (d.mqtt.username = 'pump\n7'), 'mqtt.username', /U\+000A/],
  // Node.js fires a timer longer than 2^31 - 1 ms after 1 ms: a reconnect storm, a health message per ms.
  [
    'a timer beyond what Node.js keeps',
    (d) => (d.mqtt.reconnectMaxMs = 2 ** 31),
    'mqtt.reconnectMaxMs',
    /expected at most 2147483647 ms \(about 24\.8 days, the longest Node\.js timer\), got 2147483648/,
  ],
  [
    'a replay rate whose wait overflows a timer',
    (d) => (d.outbox.replayRatePerSec = 1e-9),
    'outbox.replayRatePerSec',
    /got 1e-9/,
  ],
  [
    'csv timestamp mode',
    (d) => (d.serial.csvTimestamp = 'auto'),
    'serial.csvTimestamp',
    /"none", "t_us", got "auto"/,
  ],
  // #13 item 8: an outbox path that is a directory passed and SQLite crashed at start.
  [
    'outbox path that is a directory',
    (d) => (d.outbox.path = '.'),
    'outbox.path',
    /is a directory; name a file in it/,
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

  it('never echoes a password of the URL, also when the URL is wrong in other ways too', () => {
    for (const url of [
      'mqtt://u:S3cret@h:1883',
      'mqtt://u:S3cret@h:99999',
      'mqtt://u:S3cret@h x',
      'nope://u:S3cret@h',
    ]) {
      const err = failure(write(with_((d) => (d.mqtt.url = url))));
      expect(err.message, url).toMatch(/^thrum\.yaml: mqtt\.url: /);
      expect(err.message, url).not.toContain('S3cret');
    }
  });

  it('accepts ids at the bounds: 64 bytes, non-ASCII letters, astral characters', () => {
    for (const id of ['a'.repeat(64), 'ö'.repeat(32), 'pömpe-7', '泵-7', '🛠'.repeat(16), 'x_y.z~1']) {
      expect(loadConfig(write(with_((d) => (d.device.id = id))), {}).device.id).toBe(id);
    }
  });

  it('defaults serial.csvTimestamp to none and accepts t_us', () => {
    expect(loadConfig(write(valid()), {}).serial.csvTimestamp).toBe('none');
    const file = write(with_((d) => (d.serial.csvTimestamp = 't_us')));
    expect(loadConfig(file, {}).serial.csvTimestamp).toBe('t_us');
  });

  it('reports a YAML syntax error with its line and column', () => {
    const err = failure(write('device:\n  id: a\nserial: [1, 2\n'));
    expect(err.code).toBe('BAD_CONFIG');
    expect(err.message).toMatch(/^thrum\.yaml:\d+:\d+: invalid YAML/);
  });

  it('reports duplicate keys, naming the line', () => {
    const err = failure(write('device:\n  id: a\n  id: b\n'));
    expect(err.message).toBe('thrum.yaml:3:3: invalid YAML: Map keys must be unique ("id" appears twice)');
  });

  // #13 item 8: yaml's own duplicate-key check compares every key with every other (700k keys: 15 minutes).
  // yaml's check took 2.7 s for 9,000 keys on the CI box, so about 270 s for 90,000; linear takes a few.
  it('checks duplicate keys in linear time: 90,000 keys (just under 1 MiB) in seconds, not minutes', () => {
    const keys = Array.from({ length: 90_000 }, (_, i) => `k${i}: 1`).join('\n');
    const started = performance.now();
    const err = failure(write(`${keys}\nk7: 2\n`));
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(err.message).toMatch(/^thrum\.yaml:90001:1: invalid YAML: Map keys must be unique \("k7"/);
  }, 60_000);

  // #13 item 8: a billion-laughs document exited 1 with a ReferenceError stack.
  it('refuses a YAML alias bomb with one line', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const err = failure(write(`${levels.join('\n')}\n`));
    expect(err.code).toBe('BAD_CONFIG');
    expect(err.message).toBe(
      'thrum.yaml: invalid YAML: aliases (*name) expand too often (more than 100 times): write the values out',
    );
  });

  it('refuses a config file over 1 MiB before parsing it, and one that is not a regular file', () => {
    const err = failure(write(`# ${'x'.repeat(1024 * 1024)}\n`));
    expect(err.message).toMatch(/is 1048579 bytes; a thrum\.yaml is at most 1048576 bytes \(1 MiB\)/);
    expect(failure(dir).message).toMatch(/is not a regular file/);
    expect(failure('/dev/zero').message).toMatch(/is not a regular file/);
  });

  it('refuses nesting deeper than 32 levels with one line', () => {
    const deep = `device: ${'['.repeat(40)}${']'.repeat(40)}\n`;
    expect(failure(write(deep)).message).toMatch(/^thrum\.yaml:1:\d+: invalid YAML: nested too deeply/);
    const deeper = `device: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    expect(failure(write(deeper)).message).toMatch(/^thrum\.yaml:1:\d+: invalid YAML: nested too deeply/);
  });

  it('shows keys with control characters escaped, on one line', () => {
    const err = failure(write('device:\n  id: a\n  "bad\\nkey\\u2028": 1\n'));
    expect(err.message).not.toMatch(/[\n\u2028]/);
    expect(err.message).toMatch(/^thrum\.yaml: device: unknown key "bad\\u000akey\\u2028";/);
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
