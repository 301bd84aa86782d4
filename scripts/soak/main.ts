// Soak test (issue #7), not part of CI: the real daemon reads `thrum sim` through a socat pty (faults on a
// repeating schedule) and publishes to a real mosquitto, while the run restarts the broker and SIGKILLs and
// restarts the daemon on a fixed rhythm. At the end it drains the outbox and prints, per sensor, what the
// daemon committed and what a persistent-session subscriber received: duplicates, gaps, evictions, and the
// longest recovery (broker back or daemon restarted -> daemon connected again).
//
//   npm run soak -- --minutes 3
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Command } from 'commander';
import mqtt from 'mqtt';
import { stringify } from 'yaml';
import { positive } from '../../cli/option-parsers.js';
import { FAULT_KINDS } from '../../tools/sim/schedule.js';
import { DEMO_TRAINING, demoBundle } from '../demo/demo-bundle.js';
import { exited, terminate } from '../process/child-exit.js';
import { exitOnInterrupt } from '../process/cleanup.js';
import { onLines } from '../process/lines.js';
import { startMosquitto } from '../process/mosquitto.js';
import { createPtyPair } from '../process/pty-pair.js';
import { spawnTracked } from '../process/spawn-tracked.js';
import { waitUntil } from '../process/wait-until.js';
import { SoakLedger } from './soak-ledger.js';
import { createSoakLog } from './soak-log.js';

const ROOT = resolve(import.meta.dirname, '../..');
const THRUM = join(ROOT, 'bin', 'thrum.js');
const DEVICE = 'soak-pump';

const opts = new Command('soak')
  .description(
    'Runs the daemon against `thrum sim` over a socat pty with a real mosquitto, restarting the broker and\n' +
      'SIGKILLing the daemon on a schedule, then prints the counting report. Exits 1 if any alert is missing.',
  )
  .option('--minutes <n>', 'how long the chaos phase lasts', positive('--minutes'), 10)
  .option(
    '--fault-every <s>',
    'a simulated fault starts every this many seconds',
    positive('--fault-every'),
    20,
  )
  .option('--fault-for <s>', 'how long each fault lasts, seconds', positive('--fault-for'), 8)
  .option('--broker-every <s>', 'restart mosquitto every this many seconds', positive('--broker-every'), 40)
  .option('--broker-down <s>', 'how long mosquitto stays down', positive('--broker-down'), 5)
  .option(
    '--kill-every <s>',
    'SIGKILL and restart the daemon every this many seconds',
    positive('--kill-every'),
    55,
  )
  .option('--keep', 'keep the temp dir (configs, outbox) for inspection')
  .addHelpText(
    'after',
    '\nExample:\n  npm run soak -- --minutes 3\n  npm run soak -- --minutes 60 --kill-every 30',
  )
  .parse()
  .opts<{
    minutes: number;
    faultEvery: number;
    faultFor: number;
    brokerEvery: number;
    brokerDown: number;
    killEvery: number;
    keep?: boolean;
  }>();

const log = createSoakLog(Date.now());

interface LogLine {
  msg: string;
  /** The daemon's stable name for the line (`alert.committed`, `mqtt.connected`): what the soak matches. */
  event?: string;
  [key: string]: unknown;
}

const ledger = new SoakLedger();
const recoveries: Array<{ what: string; ms: number }> = [];
let connectedAt = 0;
let lives = 0;

function onDaemonLine(l: LogLine): void {
  if (l.event === 'alert.committed' && l.seq !== undefined)
    ledger.committed(String(l.sensorId), Number(l.seq));
  if (l.event === 'mqtt.connected') connectedAt = Date.now();
  if (typeof l.level === 'number' && l.level >= 50)
    log.warn({ event: 'soak.daemon.error', daemon: l }, `daemon logged an error: ${l.msg}`);
}

function schedule(seconds: number): string {
  const parts: string[] = [];
  for (let i = 0, at = opts.faultEvery; at < seconds; i++, at += opts.faultEvery)
    parts.push(`${FAULT_KINDS[i % FAULT_KINDS.length]}@${at}s+${opts.faultFor}s:0.8`);
  return parts.join(',');
}

async function main(): Promise<number> {
  // Ctrl-C: exit through the 'exit' hook, which stops mosquitto, socat, the sim and the daemon.
  exitOnInterrupt();
  const dir = mkdtempSync(join(tmpdir(), 'thrum-soak-'));
  const bundle = await demoBundle({
    cacheDir: join(ROOT, '.thrum', 'demo'),
    thrum: [process.execPath, THRUM],
    fresh: false,
    say: (line) => log.info({ event: 'soak.bundle.progress' }, line),
  });
  // Persistent, so the subscriber's persistent session survives broker restarts.
  const broker = await startMosquitto({ persistence: true, dir: join(dir, 'broker') });
  log.info({ event: 'soak.broker.started', url: broker.url }, `mosquitto on ${broker.url}`);

  const sub = await mqtt.connectAsync(broker.url, {
    protocolVersion: 4,
    clientId: `thrum-soak-${process.pid}`,
    clean: false,
    reconnectPeriod: 200,
  });
  sub.on('message', (topic, payload) => ledger.onMessage(topic, payload));
  sub.on('error', () => {});
  await sub.subscribeAsync([`thrum/${DEVICE}/+/alert`, `thrum/${DEVICE}/+/evicted`], { qos: 1 });

  const pty = await createPtyPair({ links: { a: join(dir, 'pty-a'), b: join(dir, 'pty-b') } });
  const config = join(dir, 'thrum.yaml');
  writeFileSync(
    config,
    stringify({
      device: { id: DEVICE },
      serial: {
        path: pty.b,
        baudRate: 921600,
        format: 'frames',
        channels: 3,
        sampleRate: DEMO_TRAINING.sampleRate,
        silenceTimeoutMs: 10_000,
      },
      model: { bundle, variant: 'int8' },
      mqtt: {
        url: broker.url,
        reconnectPeriodMs: 250,
        reconnectMaxMs: 2000,
        keepalive: 5,
        historicalAfterMs: 2000,
      },
      outbox: { path: join(dir, 'outbox.db') },
      health: { intervalMs: 5000 },
      log: { level: 'info' },
    }),
  );
  let daemon: ChildProcess = startDaemon(config);
  await waitUntil(() => connectedAt > 0, 60_000, 'the daemon to connect');

  const chaosMs = opts.minutes * 60_000;
  const sim = spawnTracked(
    process.execPath,
    [
      THRUM,
      'sim',
      '--port',
      pty.a,
      '--format',
      'frames',
      '--sample-rate',
      String(DEMO_TRAINING.sampleRate),
      '--seed',
      '7',
      '--quiet',
      '--schedule',
      schedule(chaosMs / 1000 + 60),
    ],
    { cwd: ROOT, stdio: 'ignore' },
  );
  log.info(
    { event: 'soak.sim.started', port: pty.a, faultEveryS: opts.faultEvery, faultForS: opts.faultFor },
    `sim writing frames into ${pty.a}; a fault every ${opts.faultEvery} s for ${opts.faultFor} s`,
  );

  // Chaos: broker restarts and daemon SIGKILLs on their own rhythms until the time is up.
  const end = Date.now() + chaosMs;
  let nextBroker = Date.now() + opts.brokerEvery * 1000;
  let nextKill = Date.now() + opts.killEvery * 1000;
  let brokerRestarts = 0;
  let kills = 0;
  while (Date.now() < end) {
    if (Date.now() >= nextBroker) {
      brokerRestarts += 1;
      log.info(
        { event: 'soak.broker.restarting', restart: brokerRestarts, downS: opts.brokerDown },
        `broker restart #${brokerRestarts}: down for ${opts.brokerDown} s`,
      );
      const before = connectedAt;
      await broker.restart({ downMs: opts.brokerDown * 1000 });
      const upAt = Date.now();
      await waitUntil(() => connectedAt > before, 60_000, 'the daemon to reconnect');
      recoveries.push({ what: 'broker', ms: connectedAt - upAt });
      nextBroker = Date.now() + opts.brokerEvery * 1000;
    } else if (Date.now() >= nextKill) {
      kills += 1;
      log.info({ event: 'soak.daemon.killing', kill: kills, pid: daemon.pid }, `daemon SIGKILL #${kills}`);
      const killedAt = Date.now();
      daemon.kill('SIGKILL');
      await exited(daemon);
      const before = connectedAt;
      daemon = startDaemon(config);
      await waitUntil(() => connectedAt > before, 60_000, 'the restarted daemon to connect');
      recoveries.push({ what: 'daemon', ms: connectedAt - killedAt });
      nextKill = Date.now() + opts.killEvery * 1000;
    } else await sleep(200);
  }

  log.info({ event: 'soak.chaos.over' }, 'chaos over; stopping the sim and draining the outbox');
  await terminate(sim, 5000);
  await waitUntil(() => ledger.settled(), 60_000, 'the receiver to account for every committed seq').catch(
    (e: Error) => log.warn({ event: 'soak.drain.timeout' }, e.message),
  );
  await terminate(daemon, 8000);
  await sub.endAsync(true);
  await broker.stop();
  await pty.close();
  if (opts.keep) log.info({ event: 'soak.dir.kept', dir }, `kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });

  return printReport({ brokerRestarts, kills, lives });

  function startDaemon(file: string): ChildProcess {
    lives += 1;
    const child = spawnTracked(process.execPath, [THRUM, 'run', '--config', file], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onLines(child.stdout!, (line) => {
      try {
        onDaemonLine(JSON.parse(line) as LogLine);
      } catch {
        onDaemonLine({ msg: line });
      }
    });
    child.stderr!.resume();
    return child;
  }
}

function printReport(run: { brokerRestarts: number; kills: number; lives: number }): number {
  const byKind = (what: string) => recoveries.filter((r) => r.what === what).map((r) => r.ms);
  const max = (xs: number[]) => (xs.length ? Math.max(...xs) : 0);
  const lines = [
    '',
    `soak report: ${opts.minutes} min, ${run.brokerRestarts} broker restarts (${opts.brokerDown} s down each), ${run.kills} daemon SIGKILLs (${run.lives} daemon lives)`,
    `max recovery: broker back -> daemon connected ${max(byKind('broker'))} ms; SIGKILL -> restarted daemon connected ${max(byKind('daemon'))} ms`,
    '',
    '| sensor | committed (highest seq) | logged commits | received (unique) | duplicates | gaps | evicted (records) | out of order | seq reused |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  let bad = false;
  if (ledger.sensors.size === 0) {
    lines.push('| - | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |');
    bad = true;
  }
  for (const [id, s] of [...ledger.sensors].sort()) {
    const gaps = ledger.gaps(s);
    if (gaps.length > 0 || s.seqReused > 0 || s.outOfOrder > 0) bad = true;
    lines.push(
      `| ${id} | ${ledger.highest(s)} | ${s.committedLogged.size} | ${s.received.size} | ${s.duplicates} | ${gaps.length}${gaps.length ? ` (${gaps.slice(0, 10).join(',')})` : ''} | ${s.evicted.size} (${s.evictionRecords}) | ${s.outOfOrder} | ${s.seqReused} |`,
    );
  }
  if (ledger.malformed > 0) bad = true;
  lines.push(
    '',
    `messages breaking the MQTT contract (docs/mqtt.md): ${ledger.malformed}`,
    bad
      ? 'RESULT: FAIL (missing, reused or out-of-order seqs, contract violations, or no alerts at all)'
      : 'RESULT: OK',
  );
  console.log(lines.join('\n'));
  return bad ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    log.error({ event: 'soak.failed', err: err.message }, `failed: ${err.message}`);
    process.exit(1);
  },
);
