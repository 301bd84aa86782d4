import { type Command, InvalidArgumentError, Option } from 'commander';
import { TARGET_IDS } from '../../tools/pack/targets.js';

export function register(program: Command): void {
  program
    .command('deploy')
    .description('pack, copy to a device over ssh, install, check, restart (and wait until it is online)')
    .requiredOption('--ssh <user@host>', 'the device, as ssh reaches it (keys, ~/.ssh/config apply)')
    .addOption(new Option('--target <target>', 'device platform').choices(TARGET_IDS).makeOptionMandatory())
    .option('--bundle <dir>', 'model bundle to install (becomes /var/lib/thrum/bundles/current)')
    .option('--config <file>', 'thrum.yaml to install as /etc/thrum/thrum.yaml (default: keep the one there)')
    .option('--mqtt <url>', "wait until the device's retained status says online with the new bundle")
    .option('--device <id>', 'device id for --mqtt (default: device.id of --config)')
    .option('--port <n>', 'ssh port', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('a TCP port');
      return n;
    })
    .option('-i, --identity <file>', 'ssh private key')
    .option('-o, --ssh-option <option...>', 'extra ssh -o options, e.g. StrictHostKeyChecking=accept-new')
    .option('--with-node', "include the target's Node 20 (when the device has none, or not 20)")
    .option('--timeout <seconds>', 'how long --mqtt waits', '120')
    .option('--remote-root <dir>', 'install under this directory on the device (staging and tests)')
    .option(
      '--restart-command <cmd>',
      'instead of systemctl restart thrum on the device (e.g. without systemd)',
    )
    .addHelpText(
      'after',
      `
Steps: thrum pack (reused when nothing changed), scp of the tarball, the bundle and the config to a temp dir
on the device, then install.sh --check --restart there (as root, through sudo -n when the ssh user is not
root): /opt/thrum/<version> is installed and becomes current only when the new version's
\`thrum run --check-config\` passes against the new config and bundle; otherwise the config, the bundle and
the current version are put back, the running daemon is not touched, and deploy exits 2 saying why. The
outbox (/var/lib/thrum/outbox.db) is never touched; the previous version stays in /opt/thrum/previous.

Examples:
  thrum deploy --ssh pi@pump-7.local --target linux-arm64 --bundle bundle/ --config pump-7.yaml
  thrum deploy --ssh pi@pump-7.local --target linux-armv7 --with-node --bundle bundle/ --mqtt mqtt://broker:1883 --config pump-7.yaml`,
    )
    .action(
      async (opts: {
        ssh: string;
        target: string;
        bundle?: string;
        config?: string;
        mqtt?: string;
        device?: string;
        port?: number;
        identity?: string;
        sshOption?: string[];
        withNode?: boolean;
        timeout: string;
        remoteRoot?: string;
        restartCommand?: string;
      }) => {
        const { deploy } = await import('../../tools/deploy/deploy.js');
        const result = await deploy({
          ...opts,
          deviceId: opts.device,
          sshOptions: opts.sshOption,
          timeoutMs: Number(opts.timeout) * 1000,
          say: (line) => process.stderr.write(`${line}\n`),
        });
        process.stdout.write(result.output);
        process.stdout.write(
          `deployed ${result.version} to ${opts.ssh}${result.online ? ` (online, session ${result.online.session})` : ''}\n`,
        );
      },
    );
}
