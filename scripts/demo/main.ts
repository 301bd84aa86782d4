// `npm run demo`: the whole product on its embedded defaults. An aedes broker in this process, a simulated
// 3-axis sensor writing binary frames into a socat pty pair, a bundle trained on the simulator's healthy
// output, the real daemon (`thrum run`) reading the other pty end, a fault injected after ~20 s, and the
// alerts printed as they arrive from the broker.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { positive } from '../../cli/option-parsers.js';
import { filterOf, parseMessage } from '../../shared/mqtt/contract.js';
import { FAULT_KINDS } from '../../tools/sim/schedule.js';
import { startSubscriber } from '../../tools/watch/mqtt-subscriber.js';
import { WatchPrinter } from '../../tools/watch/watch-printer.js';
import { exited } from '../process/child-exit.js';
import { stopAll } from '../process/cleanup.js';
import { missingReason } from '../process/executables.js';
import { onLines } from '../process/lines.js';
import { createPtyPair } from '../process/pty-pair.js';
import { spawnTracked } from '../process/spawn-tracked.js';
import { DEMO_TRAINING, demoBundle } from './demo-bundle.js';
import { DEMO_DEVICE, writeDemoConfig } from './demo-config.js';
import { type EmbeddedBroker, startEmbeddedBroker } from './embedded-broker.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const thrum = [process.execPath, join(root, 'bin', 'thrum.js')];

const program = new Command('npm run demo --')
  .description(
    'Runs the whole thrum path on this machine: simulated sensor -> serial pty -> daemon (int8 model) -> MQTT -> alerts.',
  )
  .option(
    '--seconds <n>',
    'stop after at most N seconds (sooner once an alert was raised and cleared); exit 0 only if one was',
    positive('--seconds'),
  )
  .option('--mqtt <url>', 'publish to this broker instead of the embedded one (e.g. mqtt://localhost:1883)')
  .option('--no-socat', 'feed the daemon through a pipe even when socat is installed')
  .option('--fault <kind>', `first fault to inject: ${FAULT_KINDS.join(', ')}`, 'imbalance')
  .option('--fault-at <s>', 'seconds after the sensor starts', positive('--fault-at'), 20)
  .option('--fault-for <s>', 'how long each fault lasts, seconds', positive('--fault-for'), 15)
  .option('--fresh', 'train a new model bundle even if one is cached')
  .option(
    '--work-dir <dir>',
    'where the cached bundle, the config, the outbox and the daemon log go',
    '.thrum/demo',
  )
  .addHelpText('after', '\nExample:\n  npm run demo\n  npm run demo -- --seconds 90 --fault bearing-outer')
  .parse(process.argv);

const opts = program.opts<{
  seconds?: number;
  mqtt?: string;
  socat: boolean;
  fault: string;
  faultAt: number;
  faultFor: number;
  fresh?: boolean;
  workDir: string;
}>();
if (!(FAULT_KINDS as readonly string[]).includes(opts.fault)) {
  console.error(`demo: --fault '${opts.fault}' is not one of ${FAULT_KINDS.join(', ')}`);
  process.exit(2);
}

const started = Date.now();
const elapsed = () => ((Date.now() - started) / 1000).toFixed(1).padStart(5);
const say = (line: string) => process.stderr.write(`[${elapsed()} s] demo: ${line}\n`);
/** SIGTERM lets the daemon flush and close its outbox; SIGKILL only after this long. */
const GRACE_MS = 6000;

/** The first fault at --fault-at, then the other kinds in turn every 45 s, each lasting --fault-for. */
function faultSchedule(): string {
  const order = [opts.fault, ...FAULT_KINDS.filter((k) => k !== opts.fault)];
  return order.map((kind, i) => `${kind}@${opts.faultAt + 45 * i}s+${opts.faultFor}s:0.7`).join(',');
}

let broker: EmbeddedBroker | undefined;
let closeSubscriber: (() => Promise<void>) | undefined;
let stopping = false;
const seen = { raised: 0, cleared: 0 };

async function main(): Promise<number> {
  const cacheDir = resolve(opts.workDir);
  const runDir = join(cacheDir, 'run');
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });

  broker = opts.mqtt ? undefined : await startEmbeddedBroker();
  const brokerUrl = opts.mqtt ?? broker!.url;
  say(
    broker ? `embedded MQTT broker (aedes, MQTT 3.1.1) on ${brokerUrl}` : `using the broker at ${brokerUrl}`,
  );

  const online = watchAlerts(brokerUrl);

  const bundle = await demoBundle({ cacheDir, thrum, fresh: opts.fresh === true, say });
  say(`model report: ${join(bundle, 'report.html')}`);

  // A virtual serial cable: the simulator writes `sensor` as a sensor board would, the daemon reads `device`.
  const pty =
    opts.socat && missingReason('socat') === undefined
      ? await createPtyPair({ links: { a: join(runDir, 'sensor'), b: join(runDir, 'device') } })
      : undefined;
  if (pty)
    say(
      `virtual serial cable (socat): sensor writes ${relative(root, pty.a)}, daemon reads ${relative(root, pty.b)}`,
    );
  else
    say(
      `${opts.socat ? 'socat is not installed' : '--no-socat'}: feeding the daemon from the simulator through a pipe instead of a pty`,
    );

  const config = writeDemoConfig({
    dir: runDir,
    bundle,
    brokerUrl,
    serialPath: pty?.b,
    sampleRate: DEMO_TRAINING.sampleRate,
    protocolVersion: broker ? 4 : 'auto',
  });
  const daemonLog = join(runDir, 'daemon.log');
  writeFileSync(daemonLog, '');
  const daemon = spawnTracked(thrum[0]!, [...thrum.slice(1), 'run', '--config', config], {
    stdio: [pty ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    graceMs: GRACE_MS,
  });
  const logLines: string[] = [];
  for (const stream of [daemon.stdout!, daemon.stderr!]) {
    onLines(stream, (line) => {
      writeFileSync(daemonLog, `${line}\n`, { flag: 'a' });
      logLines.push(line);
      logLines.splice(0, Math.max(0, logLines.length - 20));
    });
  }
  const daemonExit = exited(daemon).then((code) => {
    if (!stopping) {
      say(`the daemon exited unexpectedly (code ${code}); its last log lines:`);
      for (const line of logLines) process.stderr.write(`    ${line}\n`);
    }
    return code;
  });
  say(`daemon started: thrum run --config ${relative(root, config)} (log: ${relative(root, daemonLog)})`);

  const ready = await Promise.race([
    online.then(() => true),
    daemonExit.then(() => false),
    sleep(60_000).then(() => false),
  ]);
  if (!ready) {
    if (!stopping) say('the daemon did not come online within 60 s');
    return 1;
  }

  const schedule = faultSchedule();
  const simArgs = [
    'sim',
    '--format',
    'frames',
    '--seed',
    '5',
    '--quiet',
    '--sample-rate',
    String(DEMO_TRAINING.sampleRate),
    '--schedule',
    schedule,
  ];
  const sim = spawnTracked(thrum[0]!, [...thrum.slice(1), ...simArgs, ...(pty ? ['--port', pty.a] : [])], {
    stdio: ['ignore', pty ? 'ignore' : 'pipe', 'inherit'],
    graceMs: GRACE_MS,
  });
  if (!pty) {
    sim.stdout!.pipe(daemon.stdin!);
    daemon.stdin!.on('error', () => {}); // the daemon may stop reading first at shutdown
  }
  say(
    `sensor running at ${DEMO_TRAINING.sampleRate} Hz x 3 axes; faults: ${schedule.split(',').slice(0, 2).join(', ')}, ...`,
  );
  say(`waiting for alerts${opts.seconds ? ` (at most ${opts.seconds} s in all)` : ' (Ctrl-C to stop)'}`);

  const done = new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (seen.raised > 0 && seen.cleared > 0 && opts.seconds !== undefined) {
        clearInterval(check);
        setTimeout(resolve, 1000);
      }
    }, 200);
  });
  const limit =
    opts.seconds === undefined
      ? new Promise<void>(() => {})
      : sleep(opts.seconds * 1000 - (Date.now() - started));
  await Promise.race([done, limit, daemonExit, exited(sim), interrupted]);
  return seen.raised > 0 && seen.cleared > 0 ? 0 : 1;
}

/** Subscribes like `thrum watch` and prints each alert once; resolves when the demo device is online. */
function watchAlerts(url: string): Promise<void> {
  const printer = new WatchPrinter({
    prefix: 'thrum',
    json: false,
    color: process.stdout.isTTY === true,
    now: Date.now,
  });
  let markOnline: () => void = () => {};
  const online = new Promise<void>((resolve) => {
    markOnline = resolve;
  });
  const subscriber = startSubscriber({
    url,
    protocol: 'auto',
    filters: [
      filterOf('alert', { prefix: 'thrum', deviceId: DEMO_DEVICE }),
      filterOf('status', { prefix: 'thrum', deviceId: DEMO_DEVICE }),
    ],
    onMessage: (topic, payload) => {
      const lines = printer.handle(topic, payload);
      for (const { stream, line } of lines)
        (stream === 'out' ? process.stdout : process.stderr).write(`${line}\n`);
      let message: ReturnType<typeof parseMessage>;
      try {
        message = parseMessage(topic, payload, 'thrum');
      } catch {
        return;
      }
      if (message?.kind === 'status' && message.payload.state === 'online') markOnline();
      if (message?.kind === 'alert' && lines.some((l) => l.stream === 'out')) seen[message.payload.kind]++;
    },
    onNotice: (notice) => say(notice.line),
  });
  closeSubscriber = () => subscriber.close();
  return online;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));
const interrupted = new Promise<void>((resolve) => {
  for (const s of ['SIGINT', 'SIGTERM'] as const) {
    process.once(s, () => {
      say(`${s}: shutting down`);
      resolve();
    });
  }
});

async function shutdown(code: number): Promise<never> {
  stopping = true;
  await stopAll();
  await closeSubscriber?.();
  await broker?.close();
  say(
    `${seen.raised} raised and ${seen.cleared} cleared alert(s) in ${elapsed().trim()} s: ${code === 0 ? 'OK' : 'no complete raised+cleared pair'}`,
  );
  process.exit(code);
}

main().then(shutdown, async (err: Error) => {
  say(`failed: ${err.message}`);
  await shutdown(1);
});
