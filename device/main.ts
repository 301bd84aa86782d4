import { basename } from 'node:path';
import { redactUrl } from '../shared/redact-url.js';
import { createSystemdNotifier, keepWatchdog } from './adapters/systemd-notify.js';
import { checkBundle } from './check-config.js';
import { describeSelfTest, describeTrust, selfTestOrRefuse } from './check-config-lines.js';
import { loadConfig } from './config/load-config.js';
import { checkSerialLine } from './config/serial-line.js';
import { buildDaemon } from './daemon/build.js';
import { createPorts } from './daemon/real-ports.js';
import { createLogger } from './logger.js';

/** `thrum run --check-config`: everything start-up checks, without opening a port, a socket or the outbox. */
export async function checkConfig(path: string): Promise<string> {
  const config = loadConfig(path);
  const { bundle, variants, detector, trust } = await checkBundle(config);
  const selfTests = await selfTestOrRefuse(bundle, variants, config);
  const line = checkSerialLine(config);
  const { serial, mqtt, outbox } = config;
  const input = serial.source === 'stdin' ? 'stdin' : `${serial.source} ${serial.path}`;
  const thresholds = variants.map((v) => `${v} threshold ${detector(v).threshold.toPrecision(4)}`).join(', ');
  return [
    `${basename(config.file)}: OK`,
    `  device     ${config.device.id}`,
    `  input      ${input} (${serial.format}, ${serial.channels} channels at ${serial.sampleRate} Hz)`,
    `  bundle     ${bundle.manifest.bundleId} in ${bundle.dir} (hashes verified; ${thresholds})`,
    `  signature  ${describeTrust(trust)}`,
    `  self-test  ${describeSelfTest(selfTests)}`,
    `  broker     ${redactUrl(mqtt.url)} (MQTT ${mqtt.protocolVersion}, topics ${mqtt.topicPrefix}/${config.device.id}/...)`,
    `  outbox     ${outbox.path} (max ${outbox.maxBytes} bytes, ${outbox.maxAgeDays} days)`,
    `  line       ${lineSummary(line)}`,
  ].join('\n');
}

function lineSummary(line: ReturnType<typeof checkSerialLine>): string {
  if (!line) return 'not checked (a file, stdin or a pty has no baud rate to respect)';
  return line.verdict === 'warn' ? `warning: ${line.message}` : line.message;
}

/**
 * `thrum run`: validates, starts, reports `ready` to PM2, runs until SIGTERM/SIGINT or the end of the
 * input, stops gracefully and exits 0 (1 when the pipeline failed, 2 when its input file was bad). A bad
 * config or bundle throws (exit 2) before anything is opened.
 */
export async function runDaemon(path: string): Promise<void> {
  const config = loadConfig(path);
  const log = createLogger(config.log.level, { deviceId: config.device.id }, config.log.format);
  process.on('uncaughtException', (err) => {
    log.fatal(
      { event: 'daemon.uncaught-exception', err: err.stack ?? err.message },
      'uncaught exception; exiting',
    );
    process.exit(1);
  });
  process.on('unhandledRejection', (err) => {
    log.fatal(
      { event: 'daemon.unhandled-rejection', err: (err as Error)?.stack ?? String(err) },
      'unhandled rejection; exiting',
    );
    process.exit(1);
  });

  const line = checkSerialLine(config);
  if (line?.verdict === 'warn') {
    log.warn({ event: 'serial.line-capacity', needed: line.needed, capacity: line.capacity }, line.message);
  }
  const daemon = buildDaemon(config, await createPorts(config, log));
  daemon.start();
  log.info({ event: 'daemon.ready', config: config.file }, 'thrum daemon running');
  process.send?.('ready');
  // h-edge (#16): READY=1 now; WATCHDOG=1 while healthy (the daemon owner adds pipelineAndOutboxChecks over
  // its health sections, see device/adapters/systemd-notify.ts); STOPPING=1 on the way out.
  const notifier = createSystemdNotifier({ log });
  let pipelineEnded = false;
  void daemon.ended.then(() => (pipelineEnded = true));
  const stopWatchdog = keepWatchdog(
    notifier,
    [() => (pipelineEnded ? 'the pipeline ended' : undefined)],
    log,
  );
  void notifier.ready(`scoring ${config.serial.source} ${config.serial.path ?? ''}`.trim());

  const signal = new Promise<string>((resolve) => {
    for (const s of ['SIGTERM', 'SIGINT'] as const) process.once(s, () => resolve(s));
  });
  const end = await Promise.race([signal.then((s) => ({ reason: s }) as const), daemon.ended]);
  // A second signal during shutdown means "now".
  for (const s of ['SIGTERM', 'SIGINT'] as const) process.once(s, () => process.exit(1));
  stopWatchdog(); // h-edge (#16)
  void notifier.stopping(`stopping: ${end.reason}`); // h-edge (#16)
  await daemon.stop(end.reason);
  // A bad input file (ThrumError BAD_DATA) is bad input: 2; anything else that broke the pipeline: 1.
  process.exit('error' in end ? ((end.error as { exitCode?: number }).exitCode ?? 1) : 0);
}
