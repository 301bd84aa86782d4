import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { terminate } from '../../../scripts/process/child-exit.js';
import { track } from '../../../scripts/process/cleanup.js';
import { freePort, waitForTcp } from '../../../scripts/process/loopback.js';
import { runToken } from '../../../scripts/process/run-token.js';
import { type DeployOptions, deploy } from '../../../tools/deploy/deploy.js';
import { makeBundle } from '../../fixtures/make-bundle.js';
import { deviceConfig, writeRecording } from '../../helpers/device-pack.js';
import { type Mosquitto, startMosquitto } from '../../helpers/mosquitto.js';
import { describeRequiring, findExecutable } from '../../helpers/system-tools.js';

// `thrum deploy` against a real OpenSSH server on a loopback port (temp host key, temp authorized key), into a
// temp root on "the device" (install.sh's THRUM_ROOT). There is no systemd here, so the restart step is
// install.sh's THRUM_RESTART_CMD: the first deploy starts the packaged daemon in the background (it replays a
// file in real time, so it stays online a few seconds and --mqtt can see it), the others run `true`.
describeRequiring(['sshd', 'mosquitto'], 'thrum deploy over ssh (loopback sshd, temp root)', () => {
  let work: string;
  let root: string;
  let sshd: ChildProcess;
  let port: number;
  let broker: Mosquitto;
  let bundle: string;
  let base: Omit<DeployOptions, 'version'>;
  let config: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), `thrum-deploy-${runToken()}-`));
    root = join(work, 'device-root');
    const keys = join(work, 'ssh');
    mkdirSync(keys);
    for (const k of ['host_key', 'client_key']) {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(keys, k)]);
    }
    writeFileSync(join(keys, 'authorized_keys'), readFileSync(join(keys, 'client_key.pub')));
    port = await freePort();
    writeFileSync(
      join(keys, 'sshd_config'),
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${join(keys, 'host_key')}`,
        `PidFile ${join(keys, 'sshd.pid')}`,
        `AuthorizedKeysFile ${join(keys, 'authorized_keys')}`,
        'PubkeyAuthentication yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PermitRootLogin prohibit-password',
        'StrictModes no',
        'UsePAM no',
        'Subsystem sftp internal-sftp',
        '',
      ].join('\n'),
    );
    mkdirSync('/run/sshd', { recursive: true });
    sshd = spawn(findExecutable('sshd')!, ['-D', '-e', '-f', join(keys, 'sshd_config')], { stdio: 'ignore' });
    track({ stop: () => terminate(sshd), killSync: () => void sshd.kill('SIGKILL') });
    await waitForTcp(port, 10_000);

    broker = await startMosquitto();
    bundle = (await makeBundle({ dir: join(work, 'bundle'), seconds: 12, epochs: 4 })).dir;
    const state = join(root, 'var/lib/thrum');
    mkdirSync(state, { recursive: true });
    const input = writeRecording(join(work, 'replay.csv'), { seconds: 20, seed: 5 });
    config = join(work, 'pump-9.yaml');
    writeFileSync(
      config,
      deviceConfig({
        deviceId: 'pump-9',
        bundle: join(state, 'bundles/current'),
        input,
        mqttUrl: broker.url,
        outbox: join(state, 'outbox.db'),
        realtime: true,
      }),
    );
    base = {
      ssh: `${userInfo().username}@127.0.0.1`,
      port,
      identity: join(keys, 'client_key'),
      sshOptions: ['StrictHostKeyChecking=no', 'UserKnownHostsFile=/dev/null', 'LogLevel=ERROR'],
      target: 'linux-x64',
      out: join(work, 'packs'),
      remoteRoot: root,
      restartCommand: 'true',
      say: (line) => process.stderr.write(`${line}\n`),
    };
  }, 120_000);

  afterAll(async () => {
    await broker?.stop();
    if (sshd) await terminate(sshd);
    // The daemon started by the first deploy ends at the end of its replay; make sure.
    spawnSyncQuiet('pkill', ['-f', `${root}/etc/thrum/thrum.yaml`]);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const opt = () => join(root, 'opt/thrum');

  it('deploys: installs, checks, restarts, and waits until the device is online with the new bundle', async () => {
    const log = join(root, 'daemon.log');
    const result = await deploy({
      ...base,
      version: 'd-1',
      bundle,
      config,
      mqtt: broker.url,
      timeoutMs: 90_000,
      restartCommand: `nohup ${root}/opt/thrum/current/bin/thrum run --config ${root}/etc/thrum/thrum.yaml > ${log} 2>&1 < /dev/null &`,
    });
    expect(result.output).toMatch(/pump-9\.yaml|thrum\.yaml: OK/);
    expect(result.online?.session).toBeTruthy();
    expect(readlinkSync(join(opt(), 'current'))).toBe('d-1');
    expect(readFileSync(join(root, 'etc/thrum/thrum.yaml'), 'utf8')).toBe(readFileSync(config, 'utf8'));
    const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8')) as { bundleId: string };
    expect(readlinkSync(join(root, 'var/lib/thrum/bundles/current'))).toBe(manifest.bundleId);
  }, 180_000);

  it('upgrades: config and outbox kept, previous version kept', async () => {
    // Stop the daemon the first deploy started (SIGTERM: graceful), so the outbox is at rest.
    const pattern = `${root}/etc/thrum/thrum.yaml`;
    spawnSyncQuiet('pkill', ['-TERM', '-f', pattern]);
    for (let i = 0; i < 100 && running(pattern); i++) await new Promise((r) => setTimeout(r, 100));
    expect(running(pattern)).toBe(false);
    const outbox = join(root, 'var/lib/thrum/outbox.db');
    expect(existsSync(outbox)).toBe(true);
    const before = readFileSync(outbox);
    const configBefore = readFileSync(join(root, 'etc/thrum/thrum.yaml'), 'utf8');
    await deploy({ ...base, version: 'd-2' });
    expect(readlinkSync(join(opt(), 'current'))).toBe('d-2');
    expect(readlinkSync(join(opt(), 'previous'))).toBe('d-1');
    expect(existsSync(join(opt(), 'd-1', 'lib/thrum.mjs'))).toBe(true);
    expect(readFileSync(join(root, 'etc/thrum/thrum.yaml'), 'utf8')).toBe(configBefore);
    expect(readFileSync(outbox).equals(before)).toBe(true);
  }, 120_000);

  it('a deploy whose --check-config fails leaves the old version current and says why (exit 2)', async () => {
    const bad = join(work, 'bad.yaml');
    writeFileSync(bad, readFileSync(config, 'utf8').replace('sampleRate: 800', 'sampleRate: 1600'));
    const configBefore = readFileSync(join(root, 'etc/thrum/thrum.yaml'), 'utf8');
    await expect(deploy({ ...base, version: 'd-3', config: bad })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(
        /failed its check[\s\S]*serial\.sampleRate is 1600 but the bundle was trained at 800 Hz[\s\S]*kept d-2 as the current version/,
      ),
    });
    expect(readlinkSync(join(opt(), 'current'))).toBe('d-2');
    expect(readFileSync(join(root, 'etc/thrum/thrum.yaml'), 'utf8')).toBe(configBefore);
  }, 120_000);
});

function running(pattern: string): boolean {
  try {
    execFileSync('pgrep', ['-f', pattern], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function spawnSyncQuiet(command: string, args: string[]): void {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
  } catch {
    // nothing matched
  }
}
