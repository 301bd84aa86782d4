import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import mqtt from 'mqtt';
import { parse } from 'yaml';
import { ThrumError } from '../../shared/errors.js';
import { statusTopic } from '../../shared/mqtt/topics.js';
import { describePack, type PackResult, pack } from '../pack/pack.js';

export interface DeployOptions {
  /** user@host */
  ssh: string;
  target: string;
  bundle?: string;
  config?: string;
  /** Wait for `<prefix>/<device>/status` = online with the new bundle id on this broker. */
  mqtt?: string;
  /** Device id and topic prefix for --mqtt (default: from --config). */
  deviceId?: string;
  topicPrefix?: string;
  port?: number;
  identity?: string;
  /** Extra `ssh -o` options (e.g. StrictHostKeyChecking=accept-new). */
  sshOptions?: string[];
  withNode?: boolean;
  out?: string;
  version?: string;
  /** Install under this directory on the device (install.sh's THRUM_ROOT; staging and tests). */
  remoteRoot?: string;
  /** Replaces `systemctl restart thrum` on the device (install.sh's THRUM_RESTART_CMD). */
  restartCommand?: string;
  /** How long --mqtt waits (default 120 s). */
  timeoutMs?: number;
  say?: (line: string) => void;
}

export interface DeployResult {
  pack: PackResult;
  version: string;
  bundleId?: string;
  /** install.sh's output on the device. */
  output: string;
  online?: { session: string; startedAt: string };
}

/**
 * `thrum deploy`: pack (or reuse the identical pack), copy it with the bundle and the config over scp, run
 * install.sh on the device with --check (the new version's `thrum run --check-config` against the new config
 * and bundle: when it fails everything is put back and the old version keeps running) and --restart, and
 * with --mqtt wait for the daemon's retained status to say online with the new bundle.
 */
export async function deploy(options: DeployOptions): Promise<DeployResult> {
  const say = options.say ?? (() => {});
  const bundleId = options.bundle ? readBundleId(options.bundle) : undefined;
  const watch = options.mqtt ? await watchStatus(options) : undefined;
  try {
    const packed = await pack({
      target: options.target,
      withNode: options.withNode,
      out: options.out,
      version: options.version,
      say,
    });
    say(describePack(packed).split('\n')[0]!);
    const ssh = sshBase(options);
    const remoteTmp = (
      await run('ssh', [...ssh.ssh, options.ssh, 'mktemp -d /tmp/thrum-deploy.XXXXXX'])
    ).trim();
    if (!/^\/tmp\/thrum-deploy\.[A-Za-z0-9]+$/.test(remoteTmp)) {
      throw new Error(`unexpected answer from ${options.ssh} to mktemp: ${remoteTmp}`);
    }
    try {
      const files = [packed.tarball, ...(options.config ? [resolve(options.config)] : [])];
      say(
        `deploy: copying ${files.map((f) => basename(f)).join(', ')}${options.bundle ? ' and the bundle' : ''} to ${options.ssh}:${remoteTmp}`,
      );
      await run('scp', [...ssh.scp, '-q', ...files, `${options.ssh}:${remoteTmp}/`]);
      if (options.config && basename(options.config) !== 'thrum.yaml') {
        await run('ssh', [
          ...ssh.ssh,
          options.ssh,
          `mv ${q(`${remoteTmp}/${basename(options.config)}`)} ${q(`${remoteTmp}/thrum.yaml`)}`,
        ]);
      }
      if (options.bundle)
        await run('scp', [
          ...ssh.scp,
          '-q',
          '-r',
          resolve(options.bundle),
          `${options.ssh}:${remoteTmp}/bundle`,
        ]);
      const tree = basename(packed.dir);
      const env = [
        ...(options.remoteRoot ? [`THRUM_ROOT=${q(options.remoteRoot)}`] : []),
        ...(options.restartCommand ? [`THRUM_RESTART_CMD=${q(options.restartCommand)}`] : []),
      ];
      const args = [
        '--check',
        '--restart',
        ...(options.bundle ? ['--bundle', q(`${remoteTmp}/bundle`)] : []),
        ...(options.config ? ['--config', q(`${remoteTmp}/thrum.yaml`)] : []),
      ];
      const script = [
        'set -e',
        `cd ${q(remoteTmp)}`,
        `tar xzf ${q(basename(packed.tarball))}`,
        'if [ "$(id -u)" = 0 ]; then sudo=; else sudo="sudo -n"; fi',
        `$sudo env ${env.join(' ')} sh ./${tree}/install.sh ${args.join(' ')}`,
      ].join('\n');
      say(`deploy: installing ${packed.version} on ${options.ssh} (install.sh --check --restart)`);
      let output: string;
      try {
        output = await run('ssh', [...ssh.ssh, options.ssh, script]);
      } catch (error) {
        const e = error as RunError;
        if (e.code === 2) {
          throw new ThrumError(
            'BAD_CONFIG',
            `the new version failed its check on ${options.ssh}, so the old one is still current and running:\n${e.output.trim()}`,
          );
        }
        throw error;
      }
      const result: DeployResult = { pack: packed, version: packed.version, bundleId, output };
      if (watch) {
        say(`deploy: waiting for ${watch.topic} to say online${bundleId ? ` with bundle ${bundleId}` : ''}`);
        result.online = await watch.online(bundleId, options.timeoutMs ?? 120_000);
      }
      return result;
    } finally {
      await run('ssh', [...ssh.ssh, options.ssh, `rm -rf ${q(remoteTmp)}`]).catch(() => {});
    }
  } finally {
    watch?.close();
  }
}

function readBundleId(dir: string): string {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file))
    throw new ThrumError('BAD_USAGE', `--bundle ${dir} has no manifest.json: not a model bundle`);
  const id = (JSON.parse(readFileSync(file, 'utf8')) as { bundleId?: string }).bundleId;
  if (!id) throw new ThrumError('BAD_BUNDLE', `${file} has no bundleId`);
  return id;
}

function sshBase(o: DeployOptions): { ssh: string[]; scp: string[] } {
  const common = [
    '-o',
    'BatchMode=yes',
    ...(o.identity ? ['-i', o.identity] : []),
    ...(o.sshOptions ?? []).flatMap((x) => ['-o', x]),
  ];
  return {
    ssh: [...common, ...(o.port ? ['-p', String(o.port)] : [])],
    scp: [...common, ...(o.port ? ['-P', String(o.port)] : [])],
  };
}

/** Single-quoted for the remote shell. */
function q(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`;
}

interface RunError extends Error {
  code: number | null;
  output: string;
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => reject(Object.assign(e, { code: null, output: `${command}: ${e.message}` })));
    child.on('close', (code) => {
      if (code === 0) return resolvePromise(out);
      const error = new Error(
        `${command} exited ${code}: ${(err || out).trim().split('\n').slice(-5).join('\n')}`,
      ) as RunError;
      error.code = code;
      error.output = `${out}${err}`;
      reject(error);
    });
  });
}

interface StatusWatch {
  topic: string;
  online(bundleId: string | undefined, timeoutMs: number): Promise<{ session: string; startedAt: string }>;
  close(): void;
}

/** Subscribes before anything changes, so the retained status of the old daemon is known and not mistaken. */
async function watchStatus(o: DeployOptions): Promise<StatusWatch> {
  const fromConfig = o.config
    ? (parse(readFileSync(o.config, 'utf8')) as { device?: { id?: string }; mqtt?: { topicPrefix?: string } })
    : {};
  const deviceId = o.deviceId ?? fromConfig.device?.id;
  if (!deviceId)
    throw new ThrumError('BAD_USAGE', '--mqtt needs the device id: pass --config FILE or --device ID');
  const topic = statusTopic(o.topicPrefix ?? fromConfig.mqtt?.topicPrefix ?? 'thrum', deviceId);
  const client = await mqtt.connectAsync(o.mqtt!, { connectTimeout: 10_000, reconnectPeriod: 1000 });
  let before: string | undefined;
  let settled = false;
  const seen: { state: string; bundleId?: string; session?: string; startedAt?: string }[] = [];
  const waiters = new Set<() => void>();
  client.on('message', (t, payload, packet) => {
    if (t !== topic) return;
    try {
      const status = JSON.parse(payload.toString()) as (typeof seen)[number];
      if (packet.retain && !settled) before = status.session;
      seen.push(status);
      for (const w of waiters) w();
    } catch {
      // not a status payload
    }
  });
  await client.subscribeAsync(topic, { qos: 1 });
  // Retained messages arrive right after SUBACK.
  await new Promise((r) => setTimeout(r, 300));
  settled = true;
  return {
    topic,
    close: () => void client.endAsync(true).catch(() => {}),
    online: (bundleId, timeoutMs) =>
      new Promise((resolvePromise, reject) => {
        const check = () => {
          const hit = seen.find(
            (s) =>
              s.state === 'online' &&
              (!bundleId || s.bundleId === bundleId) &&
              s.session &&
              s.session !== before,
          );
          if (!hit) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolvePromise({ session: hit.session!, startedAt: hit.startedAt ?? '' });
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          const last = seen.at(-1);
          reject(
            new Error(
              `${topic} did not say online${bundleId ? ` with bundle ${bundleId}` : ''} within ${timeoutMs / 1000} s` +
                ` (last: ${last ? JSON.stringify(last) : 'nothing'}); on the device: journalctl -u thrum -n 50`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
  };
}
