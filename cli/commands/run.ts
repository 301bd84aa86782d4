import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('run')
    .description('the device daemon: serial -> int8 scoring -> alerts -> SQLite outbox -> MQTT')
    .option('-c, --config <file>', 'the daemon config (see docs/config.md)', 'thrum.yaml')
    .option(
      '--check-config',
      'validate the config and the model bundle (files and sha256), print a summary, exit 0 or 2',
    )
    .addHelpText(
      'after',
      `
The daemon reads samples from a serial port (or a recorded file, or stdin), scores each window with the
bundle's int8 model, and publishes raised/cleared alerts at QoS 1. Every alert is committed to a SQLite outbox
before it is published and deleted only on the broker's PUBACK, so a broker outage, a crash or a power cut
loses nothing; it is replayed, in order, on reconnect. Logs are JSON lines on stdout (pino).

Minimal thrum.yaml:
  device: { id: pump-7 }
  serial: { path: /dev/ttyUSB0, baudRate: 921600, format: frames, channels: 3, sampleRate: 3200 }
  model: { bundle: /var/lib/thrum/bundle }
  mqtt: { url: mqtts://broker.example:8883, username: pump-7, passwordFile: /etc/thrum/mqtt-password }
  outbox: { path: /var/lib/thrum/outbox.db }

Secrets: the MQTT password comes from mqtt.passwordFile or the THRUM_MQTT_PASSWORD environment variable,
never from the YAML itself. Exit codes: 0 clean stop (SIGTERM/SIGINT), 2 bad config or bundle, 1 crash.

Examples:
  thrum run --config /etc/thrum/thrum.yaml
  thrum run --config thrum.yaml --check-config
  THRUM_MQTT_PASSWORD=... thrum run -c thrum.yaml`,
    )
    .action(async (opts: { config: string; checkConfig?: boolean }) => {
      // Loaded on demand: the daemon pulls in SQLite, ONNX Runtime and MQTT, which other commands do not need.
      const main = await import('../../device/main.js');
      const { startupChecks } = await import('../../device/startup-checks.js');
      if (opts.checkConfig) {
        const summary = await main.checkConfig(opts.config);
        const warnings = await startupChecks(opts.config, { loadModels: true });
        for (const w of warnings) process.stderr.write(`thrum: warning: ${w.message}\n`);
        process.stdout.write(`${summary}\n`);
        return;
      }
      await startupChecks(opts.config, { loadModels: false });
      await main.runDaemon(opts.config);
    });
}
