import type { Command } from 'commander';
import { ThrumError } from '../../shared/errors.js';

interface RunOptions {
  config: string;
  checkConfig?: boolean;
  replay?: string;
  bundle?: string;
  mqtt?: string;
  device: string;
  realtime?: boolean;
  format?: string;
  logLevel: string;
}

export function register(program: Command): void {
  program
    .command('run')
    .description('the device daemon: serial -> int8 scoring -> alerts -> SQLite outbox -> MQTT')
    .option('-c, --config <file>', 'the daemon config (see docs/config.md)', 'thrum.yaml')
    .option(
      '--check-config',
      'validate the config and the model bundle (files and sha256), print a summary, exit 0 or 2',
    )
    .option(
      '--replay <file>',
      'no config: run the daemon on a recording with --bundle, an embedded broker, and print its alerts here',
    )
    .option('--bundle <dir>', '--replay: the bundle thrum train wrote')
    .option('--mqtt <url>', '--replay: publish to this broker instead of an embedded one')
    .option('--device <id>', '--replay: the device id in the topics', 'replay')
    .option('--realtime', '--replay: at the recorded rate instead of as fast as it reads')
    .option('--format <format>', '--replay: csv or frames (default: from the first bytes of the file)')
    .option(
      '--log-level <level>',
      '--replay: daemon log level (default warn: only alerts and problems)',
      'warn',
    )
    .addHelpText(
      'after',
      `
The daemon reads samples from a serial port (or a recorded file, or stdin), scores each window with the
bundle's int8 model, and publishes raised/cleared alerts at QoS 1. Every alert is committed to a SQLite outbox
before it is published and deleted only on the broker's PUBACK, so a broker outage, a crash or a power cut
loses nothing; it is replayed, in order, on reconnect. Logs are JSON lines on stdout (pino), one readable line per record on a terminal.

Minimal thrum.yaml:
  device: { id: pump-7 }
  serial: { path: /dev/ttyUSB0, baudRate: 921600, format: frames, channels: 3, sampleRate: 3200 }
  model: { bundle: /var/lib/thrum/bundle }
  mqtt: { url: mqtts://broker.example:8883, username: pump-7, passwordFile: /etc/thrum/mqtt-password }
  outbox: { path: /var/lib/thrum/outbox.db }

Secrets: the MQTT password comes from mqtt.passwordFile or the THRUM_MQTT_PASSWORD environment variable,
never from the YAML itself. Exit codes: 0 clean stop (SIGTERM/SIGINT), 2 bad config or bundle, 1 crash.

--replay FILE --bundle DIR needs no config: the same daemon reads the recording (source: file), publishes to an
embedded MQTT broker (aedes; --mqtt URL for yours), prints each alert as thrum watch does, with its position in
the file, and exits when the file has been replayed.

Examples:
  thrum run --config /etc/thrum/thrum.yaml
  thrum run --config thrum.yaml --check-config
  thrum run --bundle bundles/mine --replay fault.csv
  THRUM_MQTT_PASSWORD=... thrum run -c thrum.yaml`,
    )
    .action(async (opts: RunOptions) => {
      if (opts.replay !== undefined) {
        const { startReplay } = await import('../../tools/replay/start-replay.js');
        const stopped = new Promise<void>((resolve) => {
          process.once('SIGINT', () => resolve());
          process.once('SIGTERM', () => resolve());
        });
        const code = await startReplay(
          { ...opts, replay: opts.replay },
          {
            out: (line) => process.stdout.write(`${line}\n`),
            err: (line) => process.stderr.write(`${line}\n`),
            isTty: process.stdout.isTTY === true && !process.env.NO_COLOR,
            stopped,
          },
        );
        // ONNX Runtime and the broker sockets may hold the event loop a while after everything is closed.
        process.exit(code);
      }
      if (opts.bundle !== undefined) {
        throw new ThrumError(
          'BAD_USAGE',
          '--bundle goes with --replay FILE; a daemon takes its bundle from --config',
        );
      }
      // Loaded on demand: the daemon pulls in SQLite, ONNX Runtime and MQTT, which other commands do not need.
      const main = await import('../../device/main.js');
      const { startupChecks } = await import('../../device/startup-checks.js');
      if (opts.checkConfig) {
        // Files and models first: their refusals name the file and the fix better than a failed self-test.
        const warnings = await startupChecks(opts.config, { loadModels: true });
        const summary = await main.checkConfig(opts.config);
        for (const w of warnings) process.stderr.write(`thrum: warning: ${w.message}\n`);
        process.stdout.write(`${summary}\n`);
        return;
      }
      await startupChecks(opts.config, { loadModels: false });
      await main.runDaemon(opts.config);
    });
}
