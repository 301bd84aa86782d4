import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBundle } from '../../fixtures/make-bundle.js';
import { deviceConfig, packAndUnpack, writeRecording } from '../../helpers/device-pack.js';
import { findExecutable } from '../../helpers/system-tools.js';

// `thrum pack --target linux-x64` (no cross-compiling: it runs natively here) and the package's install.sh into
// a temp root (THRUM_ROOT): idempotent, an upgrade keeps the config and the outbox and the previous version, a
// failing --check leaves everything as it was. The arm targets are packed and run under qemu in
// test/e2e/edge-qemu.test.ts.
describe('thrum pack (linux-x64) and install.sh', () => {
  let tree: string;
  let work: string;
  let version: string;
  let bundleDir: string;
  let tarballBytes: number;

  beforeAll(async () => {
    const packed = await packAndUnpack('linux-x64');
    ({ tree, work } = packed);
    version = packed.result.version;
    tarballBytes = packed.result.tarballBytes;
    bundleDir = (await makeBundle({ dir: join(work, 'bundle'), seconds: 12, epochs: 4 })).dir;
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('is one tarball under 20 MB whose MANIFEST holds the sha256 of every file', () => {
    expect(tarballBytes).toBeLessThan(20e6);
    const manifest = readFileSync(join(tree, 'MANIFEST'), 'utf8').trim().split('\n');
    const listed = manifest.map((l) => l.slice(66));
    const all = execFileSync('find', ['.', '-type', 'f', '!', '-name', 'MANIFEST'], {
      cwd: tree,
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .map((f) => f.slice(2))
      .sort();
    expect(listed).toEqual(all);
    expect(spawnSync('sha256sum', ['--check', '--quiet', '--strict', 'MANIFEST'], { cwd: tree }).status).toBe(
      0,
    );
  });

  it('holds only the native code of its target', () => {
    const ortBin = join(tree, 'node_modules/onnxruntime-node/bin/napi-v6');
    expect(readdirSync(ortBin)).toEqual(['linux']);
    expect(readdirSync(join(ortBin, 'linux'))).toEqual(['x64']);
    expect(readdirSync(join(tree, 'node_modules/@serialport/bindings-cpp/prebuilds'))).toEqual(['linux-x64']);
    expect(existsSync(join(tree, 'node_modules/@tensorflow'))).toBe(false);
    expect(existsSync(join(tree, 'node_modules/better-sqlite3/deps'))).toBe(false);
  });

  it('runs the device commands; training says it runs on the desktop (exit 2, one line)', () => {
    const thrum = join(tree, 'bin/thrum');
    expect(execFileSync(thrum, ['--version'], { encoding: 'utf8' }).trim()).toBe(version);
    const train = spawnSync(thrum, ['train', '--data', 'x.csv'], { encoding: 'utf8' });
    expect(train.status).toBe(2);
    expect(train.stderr.trim().split('\n')).toHaveLength(1);
    expect(train.stderr).toMatch(/training runs on the desktop/);
    const help = execFileSync(thrum, ['--help'], { encoding: 'utf8' });
    for (const c of ['run', 'sim', 'record', 'watch']) expect(help).toMatch(new RegExp(`\\n  ${c} `));
  });

  it('install.sh passes shellcheck', (ctx) => {
    if (!findExecutable('shellcheck')) {
      console.warn('\n!!! SKIPPED shellcheck: not installed (apt-get install shellcheck)\n');
      ctx.skip();
    }
    const r = spawnSync('shellcheck', ['--shell=sh', 'install.sh', 'bin/thrum'], {
      cwd: tree,
      encoding: 'utf8',
    });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('the unit passes systemd-analyze verify and rates <= 2.0 on systemd-analyze security', (ctx) => {
    if (!findExecutable('systemd-analyze')) {
      console.warn('\n!!! SKIPPED systemd-analyze: not installed (apt-get install systemd)\n');
      ctx.skip();
    }
    // verify checks that ExecStart= is executable: point it at a temp root where the package is installed.
    const root = join(work, 'verify-root');
    execFileSync('sh', [join(tree, 'install.sh')], { env: { ...process.env, THRUM_ROOT: root } });
    const unit = join(root, 'etc/systemd/system/thrum.service');
    mkdirSync(join(work, 'verify'));
    const rooted = join(work, 'verify', 'thrum.service');
    writeFileSync(rooted, readFileSync(unit, 'utf8').replaceAll('/opt/thrum/', `${root}/opt/thrum/`));
    const verify = spawnSync('systemd-analyze', ['verify', rooted], { encoding: 'utf8' });
    // It exits 0 on a bad setting too (it only warns): nothing may be said about the unit.
    expect(verify.stderr.split('\n').filter((l) => /thrum\.service/.test(l))).toEqual([]);
    expect(verify.status).toBe(0);
    const security = spawnSync('systemd-analyze', ['security', '--offline=yes', unit], { encoding: 'utf8' });
    const score = Number(/Overall exposure level for thrum\.service: ([\d.]+)/.exec(security.stdout)?.[1]);
    expect(score).toBeLessThanOrEqual(2.0);
    const text = readFileSync(unit, 'utf8');
    for (const forbidden of ['MemoryDenyWriteExecute', 'PrivateDevices', 'ProcSubset']) {
      expect(text).not.toMatch(new RegExp(`^${forbidden}=`, 'm'));
    }
    for (const needed of [
      'Type=notify',
      'WatchdogSec=',
      'RestartPreventExitStatus=2',
      'MALLOC_ARENA_MAX=2',
    ]) {
      expect(text).toContain(needed);
    }
  }, 60_000);

  it('installs into a root idempotently; an upgrade keeps config, outbox and the previous version', () => {
    const root = join(work, 'root');
    const install = (dir: string, ...args: string[]) =>
      spawnSync('sh', [join(dir, 'install.sh'), ...args], {
        encoding: 'utf8',
        env: { ...process.env, THRUM_ROOT: root, THRUM_RESTART_CMD: `echo restarted >> ${root}/restarts` },
      });
    const opt = join(root, 'opt/thrum');
    const state = join(root, 'var/lib/thrum');

    const first = install(tree);
    expect(first.status, first.stderr).toBe(0);
    expect(readlinkSync(join(opt, 'current'))).toBe(version);
    const template = readFileSync(join(root, 'etc/thrum/thrum.yaml'), 'utf8');
    expect(template).toMatch(/device:/);
    expect(lstatSync(join(state, 'bundles')).isDirectory()).toBe(true);

    // The operator writes a real config; the daemon has an outbox.
    writeRecording(join(state, 'input.csv'), { seconds: 3 });
    const config = deviceConfig({
      deviceId: 'pump-1',
      bundle: join(state, 'bundles/current'),
      input: join(state, 'input.csv'),
      mqttUrl: 'mqtt://127.0.0.1:1',
      outbox: join(state, 'outbox.db'),
    });
    writeFileSync(join(root, 'etc/thrum/thrum.yaml'), config);
    writeFileSync(join(state, 'outbox.db'), 'pending alerts');

    const again = install(tree, '--bundle', bundleDir, '--check');
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/already in/);
    expect(again.stdout).toMatch(/thrum\.yaml: OK/);
    expect(again.stdout).toMatch(/sqlite +SQLite [\d.]+ \(better-sqlite3\)/);
    expect(readdirSync(opt).sort()).toEqual(['current', version].sort());

    // Version 2: the same tree under another version name (MANIFEST recomputed as pack would).
    const v2 = join(work, 'v2');
    cpSync(tree, v2, { recursive: true });
    writeFileSync(join(v2, 'VERSION'), '9.9.9-upgrade\n');
    writeFileSync(
      join(v2, 'MANIFEST'),
      execFileSync('sh', ['-c', "find . -type f ! -name MANIFEST | sed 's|^./||' | sort | xargs sha256sum"], {
        cwd: v2,
        encoding: 'utf8',
      }),
    );
    const upgrade = install(v2, '--check', '--restart');
    expect(upgrade.status, upgrade.stderr).toBe(0);
    expect(readlinkSync(join(opt, 'current'))).toBe('9.9.9-upgrade');
    expect(readlinkSync(join(opt, 'previous'))).toBe(version);
    expect(existsSync(join(opt, version, 'lib/thrum.mjs'))).toBe(true);
    expect(readFileSync(join(root, 'etc/thrum/thrum.yaml'), 'utf8')).toBe(config);
    expect(readFileSync(join(state, 'outbox.db'), 'utf8')).toBe('pending alerts');
    expect(readFileSync(join(root, 'restarts'), 'utf8')).toBe('restarted\n');

    // A config that fails the check: refused (exit 2), everything stays as it was, no restart.
    const bad = join(work, 'bad.yaml');
    writeFileSync(bad, config.replace('channels: 3', 'channels: 2'));
    const refused = install(tree, '--config', bad, '--check', '--restart');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/serial\.channels is 2 but the bundle was trained on 3/);
    expect(refused.stderr).toMatch(/check failed .*kept 9\.9\.9-upgrade as the current version/);
    expect(readlinkSync(join(opt, 'current'))).toBe('9.9.9-upgrade');
    expect(readFileSync(join(root, 'etc/thrum/thrum.yaml'), 'utf8')).toBe(config);
    expect(readFileSync(join(root, 'restarts'), 'utf8')).toBe('restarted\n');

    // Uninstall keeps config and state unless --purge.
    expect(install(tree, '--uninstall').status).toBe(0);
    expect(existsSync(opt)).toBe(false);
    expect(readFileSync(join(state, 'outbox.db'), 'utf8')).toBe('pending alerts');
    expect(existsSync(join(root, 'etc/thrum/thrum.yaml'))).toBe(true);
  }, 120_000);
});
