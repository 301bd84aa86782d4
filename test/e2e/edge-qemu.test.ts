import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ScoreDump, scoreDump } from '../../cli/commands/score-dump.js';
import { exited, terminate } from '../../scripts/process/child-exit.js';
import { track, untrack } from '../../scripts/process/cleanup.js';
import { runToken } from '../../scripts/process/run-token.js';
import { makeBundle } from '../fixtures/make-bundle.js';
import { deviceConfig, packAndUnpack, writeRecording } from '../helpers/device-pack.js';
import { type Mosquitto, startMosquitto } from '../helpers/mosquitto.js';
import { describeRequiring } from '../helpers/system-tools.js';

// Issue #16: the packed device tarball for a Raspberry Pi, unpacked and run on this x64 machine under
// qemu-user with the package's own Node (--with-node) and a Raspberry Pi 4's /proc/cpuinfo bind-mounted in a
// private mount namespace (ONNX Runtime's cpuinfo crashes on the host's x86 one; V8 reads it on armv7 too).
// arm64 scores with onnxruntime-node's arm64 binary, armv7 with onnxruntime-web (wasm, picked by auto):
// a replayed fault raises an alert through a real mosquitto, a healthy record raises none, and every
// window's int8 score equals this machine's (x64, native) bit for bit.
const FIXTURES = resolve(import.meta.dirname, '../fixtures');
const TARGETS = [
  { id: 'linux-arm64', qemu: 'qemu-aarch64-static', cpuinfo: 'cpuinfo-pi4-arm64.txt', engine: 'native' },
  { id: 'linux-armv7', qemu: 'qemu-arm-static', cpuinfo: 'cpuinfo-pi4-armv7.txt', engine: 'wasm' },
] as const;

describeRequiring(['qemu', 'mosquitto'], 'device packages under qemu-user (arm64 native, armv7 wasm)', () => {
  let work: string;
  let bundle: string;
  let healthy: string;
  let faulty: string;
  let broker: Mosquitto;
  let reference: ScoreDump;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), `thrum-edge-qemu-${runToken()}-`));
    bundle = (await makeBundle({ dir: join(work, 'bundle'), seconds: 20, epochs: 8 })).dir;
    healthy = writeRecording(join(work, 'healthy.csv'), { seconds: 5, seed: 21 });
    faulty = writeRecording(join(work, 'faulty.csv'), { seconds: 6, seed: 22, fault: 'tone', faultFrom: 2 });
    broker = await startMosquitto();
    reference = await scoreDump({ bundle, inputs: [healthy, faulty], variant: 'int8', engine: 'native' });
    expect(reference.platform).toBe('linux/x64');
  }, 120_000);

  afterAll(async () => {
    await broker?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Runs the package's node under qemu with the Pi's cpuinfo; resolves with exit code, stdout, stderr. */
  function underQemu(target: (typeof TARGETS)[number], tree: string, args: string[], log: string) {
    const script = 'cpu=$1; shift; mount --bind "$cpu" /proc/cpuinfo && exec "$@"';
    const child = spawn(
      'unshare',
      [
        '-m',
        'sh',
        '-c',
        script,
        'sh',
        join(FIXTURES, target.cpuinfo),
        target.qemu,
        join(tree, 'node/bin/node'),
        join(tree, 'lib/thrum.mjs'),
        ...args,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MALLOC_ARENA_MAX: '2' } },
    );
    const stoppable = { stop: () => terminate(child), killSync: () => void child.kill('SIGKILL') };
    track(stoppable);
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const logFile = createWriteStream(log);
    child.stdout.pipe(logFile);
    child.stderr.pipe(logFile);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    return exited(child).then(() => {
      untrack(stoppable);
      return { code: child.exitCode, stdout, stderr };
    });
  }

  /** The daemon replays `input` and exits at its end; returns the alerts the broker delivered and its log. */
  async function daemonRun(target: (typeof TARGETS)[number], tree: string, name: string, input: string) {
    const deviceId = `${target.id}-${name}`;
    const dir = join(work, deviceId);
    rmSync(dir, { recursive: true, force: true });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    const config = join(dir, 'thrum.yaml');
    writeFileSync(
      config,
      deviceConfig({ deviceId, bundle, input, mqttUrl: broker.url, outbox: join(dir, 'outbox.db') }),
    );
    const alerts: { kind: string; score: number }[] = [];
    const client = await mqtt.connectAsync(broker.url, { protocolVersion: 4, clientId: `sub-${deviceId}` });
    await client.subscribeAsync(`thrum/${deviceId}/+/alert`, { qos: 1 });
    client.on('message', (_topic, payload) => alerts.push(JSON.parse(payload.toString())));
    const run = await underQemu(target, tree, ['run', '--config', config], join(dir, 'daemon.log'));
    // The daemon publishes before it exits (QoS 1, acked); give the broker a moment to hand them over.
    await new Promise((r) => setTimeout(r, 300));
    await client.endAsync();
    return { ...run, alerts, log: readFileSync(join(dir, 'daemon.log'), 'utf8') };
  }

  for (const target of TARGETS) {
    it(`${target.id}: packs, runs under qemu, alerts on the fault, stays quiet on health, scores bit-identically`, async () => {
      const started = Date.now();
      const { tree, result } = await packAndUnpack(target.id, { withNode: true });
      console.log(
        `${target.id}: packed in ${((Date.now() - started) / 1000).toFixed(0)} s (${(result.tarballBytes / 1e6).toFixed(1)} MB with Node)`,
      );
      const t0 = Date.now();
      const [dump, fault, health] = await Promise.all([
        underQemu(
          target,
          tree,
          ['score-dump', '--bundle', bundle, '--input', healthy, faulty],
          join(work, `${target.id}-dump.log`),
        ),
        daemonRun(target, tree, 'fault', faulty),
        daemonRun(target, tree, 'healthy', healthy),
      ]);
      console.log(`${target.id}: qemu runs took ${((Date.now() - t0) / 1000).toFixed(0)} s`);

      expect(dump.code, dump.stderr).toBe(0);
      const scores = JSON.parse(dump.stdout) as ScoreDump;
      expect(scores.platform).toBe(target.id === 'linux-arm64' ? 'linux/arm64' : 'linux/arm');
      expect(scores.engine).toBe(target.engine);
      for (const [i, r] of scores.results.entries()) {
        expect(r.scores.length).toBeGreaterThan(50);
        // Object.is per element: bit for bit.
        expect(r.scores).toEqual(reference.results[i]!.scores);
      }

      expect(fault.code, fault.log.slice(-2000)).toBe(0);
      expect(fault.log).toMatch(new RegExp(`"event":"engine.chosen","engine":"${target.engine}"`));
      expect(
        fault.alerts.filter((a) => a.kind === 'raised').length,
        fault.log.slice(-2000),
      ).toBeGreaterThanOrEqual(1);

      expect(health.code, health.log.slice(-2000)).toBe(0);
      expect(health.alerts.filter((a) => a.kind === 'raised')).toEqual([]);
    }, 900_000);
  }
});
