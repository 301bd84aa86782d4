import { type Command, Option } from 'commander';
import { startCollect } from '../../tools/collect/start-collect.js';

export function register(program: Command): void {
  program
    .command('collect')
    .description('store every alert once in SQLite (persistent session, acked only after the commit)')
    .option('--mqtt <url>', 'broker URL (credentials: --username/--password-file)', 'mqtt://localhost:1883')
    .requiredOption('--db <file>', 'SQLite file the alerts go to (created if missing)')
    .option('--prefix <prefix>', 'topic prefix the devices publish under', 'thrum')
    .option('--share <group>', 'MQTT 5 shared subscription: N collectors in one group split the alerts')
    .option(
      '--client-id <id>',
      'session id; keep it stable per collector (default: derived from host, group and --db)',
    )
    .addOption(
      new Option('--protocol <version>', 'MQTT version; auto tries 5, then 3.1.1')
        .choices(['auto', '5', '3.1.1'])
        .default('auto'),
    )
    .option('--username <name>', 'broker user name')
    .option('--password-file <file>', 'file holding the broker password (never on the command line)')
    .option('--ca <file>', 'CA certificate (PEM) for mqtts:// with a private CA')
    .addHelpText(
      'after',
      `
Subscribes to the alert and evicted topics at QoS 1 with a persistent session, writes each alert once into
--db (table alerts, keyed by alertId; WAL), and acks it to the broker only after the commit. Prints one
line per new alert. Stop with Ctrl-C. Safe settings for several collectors: docs/consumers.md.

Examples:
  thrum collect --db alerts.db
  thrum collect --mqtt mqtt://broker.plant:1883 --db /var/lib/thrum/alerts.db --client-id collect-1
  thrum collect --share fleet --client-id collect-2 --db collect-2.db     one of N, each alert stored once`,
    )
    .action(async (opts) => {
      const stopped = new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      await startCollect(opts, {
        out: (line) => process.stdout.write(`${line}\n`),
        err: (line) => process.stderr.write(`${line}\n`),
        stopped,
      });
    });
}
