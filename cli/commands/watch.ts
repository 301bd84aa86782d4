import { type Command, Option } from 'commander';
import { startWatch } from '../../tools/watch/start-watch.js';

export function register(program: Command): void {
  program
    .command('watch')
    .description('subscribe to alert and status topics and print them, deduplicated by alert id')
    .option('--mqtt <url>', 'broker URL (credentials: --username/--password-file)', 'mqtt://localhost:1883')
    .option('--prefix <prefix>', 'topic prefix the devices publish under', 'thrum')
    .option('--device <id>', 'only this device (default: all)')
    .option('--sensor <id>', 'only this sensor (default: all)')
    .option('--json', 'one JSON object per line: {type: "alert"|"status", topic, receivedAt, ...payload}')
    .addOption(
      new Option('--protocol <version>', 'MQTT version; auto tries 5, then 3.1.1')
        .choices(['auto', '5', '3.1.1'])
        .default('auto'),
    )
    .option(
      '--client-id <id>',
      'persistent session: the broker keeps alerts for this id while watch is not running',
    )
    .option('--share <group>', 'MQTT 5 shared subscription: N watchers in one group split the alerts')
    .option('--username <name>', 'broker user name')
    .option('--password-file <file>', 'file holding the broker password (never on the command line)')
    .option('--ca <file>', 'CA certificate (PEM) for mqtts:// with a private CA')
    .option('--dedup <n>', 'how many alert ids to remember for deduplication', '100000')
    .option('--no-color', 'no colors, even on a terminal')
    .option('--scores', 'also a line per score summary: p50, max, threshold, variant, windows/s')
    .option('--health', 'also a line per health report: flags first, then the counters that matter')
    .addHelpText(
      'after',
      `
Prints each alert once (alerts are delivered at least once; duplicates are recognized by alertId), and a line
whenever a device goes online or offline (the retained status topic, also the device's Last Will). Alert lines
show the window end time, device/sensor, RAISED or CLEARED, the sequence number, score vs threshold, the
p-value, the feature groups that contributed most, and "(replayed)" for alerts delivered late from the
device's outbox. Malformed messages print a warning on stderr. Stop with Ctrl-C.

Examples:
  thrum watch                                          all devices on a local broker
  thrum watch --mqtt mqtt://broker.plant:1883 --device press-7
  thrum watch --json | jq 'select(.type == "alert" and .kind == "raised")'
  thrum watch --client-id ops-console                  keep alerts queued while not watching
  thrum watch --share ops --json                       run several, each alert handled once
  thrum watch --scores --health                        how the devices are doing, between alerts`,
    )
    .action(async (opts) => {
      const stopped = new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      await startWatch(opts, {
        out: (line) => process.stdout.write(`${line}\n`),
        err: (line) => process.stderr.write(`${line}\n`),
        isTty: process.stdout.isTTY === true,
        stopped,
      });
    });
}
