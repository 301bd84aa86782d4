import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { freePort } from '../../../../scripts/process/loopback.js';
import { runToken } from '../../../../scripts/process/run-token.js';
import { spawnDaemon } from '../../../e2e/daemon-harness.js';
import { makeBundle } from '../../../fixtures/make-bundle.js';
import { describeWithMosquitto, type Mosquitto, startMosquitto } from '../../../helpers/mosquitto.js';
import { expectRefusal, runThrum, runThrumAsync } from '../../../helpers/thrum-cli.js';
import { makeTestCerts, type TestCerts, tlsListener } from '../../../helpers/tls-certs.js';

// #13 items 5 and 6 against a real mosquitto that demands a password, on a clear-text and a TLS listener:
// credentials in mqtt.url (accepted, printed by --check-config, logged with every connection) are refused;
// a password file others can read is reported; TLS files next to a clear-text URL no longer send the password
// in clear.

const PASSWORD = 'S3cret-pump-7';
const dir = mkdtempSync(join(tmpdir(), `thrum-secrets-${runToken()}-`));
let certs: TestCerts;
let broker: Mosquitto;
let tlsPort: number;
let bundle: string;
let passwordFile: string;

beforeAll(async () => {
  certs = makeTestCerts();
  const passwd = join(dir, 'mosquitto.passwd');
  execFileSync('mosquitto_passwd', ['-b', '-c', passwd, 'pump-7', PASSWORD]);
  tlsPort = await freePort();
  broker = await startMosquitto({
    config: ['allow_anonymous false', `password_file ${passwd}`, ...tlsListener(tlsPort, certs)],
  });
  passwordFile = join(dir, 'mqtt-password');
  writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  bundle = (await makeBundle({ dir: join(dir, 'bundle') })).dir;
}, 120_000);
afterAll(async () => {
  await broker?.stop();
  certs?.remove();
  rmSync(dir, { recursive: true, force: true });
});

function config(mqtt: Record<string, unknown>): string {
  const file = join(dir, `c${Math.random().toString(16).slice(2)}.yaml`);
  writeFileSync(
    file,
    stringify({
      device: { id: 'pump-7' },
      serial: { path: join(dir, 'no-such-tty'), baudRate: 921600, channels: 3, sampleRate: 800 },
      model: { bundle, variant: 'int8' },
      mqtt: { reconnectPeriodMs: 200, reconnectMaxMs: 1000, ...mqtt },
      outbox: { path: join(dir, `outbox-${Math.random().toString(16).slice(2)}.db`) },
    }),
  );
  return file;
}

describeWithMosquitto('MQTT credentials and TLS against a password-protected mosquitto', () => {
  it('refuses a password in mqtt.url, without printing it, although the broker would take it', async () => {
    // The broker does accept these credentials: the hole was that the daemon used and logged them.
    const url = `mqtt://pump-7:${PASSWORD}@127.0.0.1:${broker.port}`;
    const file = config({ url });
    for (const args of [['--check-config'], []]) {
      const r = await runThrumAsync(['run', '--config', file, ...args], {}, 30_000);
      expectRefusal(
        r,
        /mqtt\.url: must not hold a user name or password .*mqtt\.username .*mqtt\.passwordFile/,
      );
      expect(r.stderr).toContain(`got "mqtt://***@127.0.0.1:${broker.port}"`);
      expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    }
  });

  it('connects over mqtts with username + passwordFile and never logs the password', async () => {
    const file = config({
      url: `mqtts://127.0.0.1:${tlsPort}`,
      ca: certs.ca,
      username: 'pump-7',
      passwordFile,
    });
    const check = runThrum(['run', '--config', file, '--check-config']);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(check.stdout).toContain(`broker     mqtts://127.0.0.1:${tlsPort} (MQTT auto`);
    const daemon = spawnDaemon(file);
    try {
      const connected = await daemon.connected();
      expect(connected.url).toBe(`mqtts://127.0.0.1:${tlsPort}`);
      expect(daemon.lines.some((l) => l.event === 'config.password-file-mode')).toBe(false);
    } finally {
      await daemon.stop();
    }
    expect(JSON.stringify(daemon.lines) + daemon.stderr()).not.toContain(PASSWORD);
  });

  it('warns about a password file that group or others can read, naming it and chmod 600', async () => {
    const loose = join(dir, 'loose-password');
    writeFileSync(loose, `${PASSWORD}\n`);
    chmodSync(loose, 0o666);
    const file = config({
      url: `mqtts://127.0.0.1:${tlsPort}`,
      ca: certs.ca,
      username: 'pump-7',
      passwordFile: loose,
    });
    const check = runThrum(['run', '--config', file, '--check-config']);
    expect(check.code).toBe(0);
    expect(check.stderr).toBe(
      `thrum: warning: mqtt.passwordFile "${loose}" can be read by others or changed by group or others (mode 0666): chmod 600 "${loose}"\n`,
    );
    const daemon = spawnDaemon(file);
    try {
      const warning = await daemon.waitForLog(
        'the password file warning',
        (l) => l.event === 'config.password-file-mode',
      );
      expect(warning.level).toBe(40);
      expect(String(warning.msg)).toContain('chmod 600');
      await daemon.connected(); // a warning, not a refusal
    } finally {
      await daemon.stop();
    }
  });

  it('refuses TLS files with a clear-text mqtt:// URL when a password is set (it would cross in clear)', async () => {
    // On the clear-text listener mosquitto takes the password: this config used to connect and send it unencrypted.
    const file = config({
      url: `mqtt://127.0.0.1:${broker.port}`,
      ca: certs.ca,
      username: 'pump-7',
      passwordFile,
    });
    for (const args of [['--check-config'], []]) {
      const r = await runThrumAsync(['run', '--config', file, ...args], {}, 30_000);
      expectRefusal(
        r,
        /mqtt\.url: mqtt:\/\/ has no TLS, so the MQTT password would cross the network in clear although mqtt\.ca is set; use mqtts:\/\//,
      );
    }
    const env = { THRUM_MQTT_PASSWORD: PASSWORD };
    const fromEnv = config({ url: `ws://127.0.0.1:${broker.port}`, ca: certs.ca, username: 'pump-7' });
    expectRefusal(runThrum(['run', '--config', fromEnv, '--check-config'], env), /use wss:\/\//);
  });

  it('only warns about TLS files with a clear-text URL when there is no password', () => {
    const file = config({ url: `mqtt://127.0.0.1:${broker.port}`, ca: certs.ca });
    const r = runThrum(['run', '--config', file, '--check-config']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      'thrum: warning: mqtt.url is mqtt:// (no TLS) although mqtt.ca is set: use mqtts:// to encrypt the connection\n',
    );
  });
});
