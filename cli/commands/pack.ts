import { type Command, Option } from 'commander';
import { TARGET_IDS } from '../../tools/pack/targets.js';

export function register(program: Command): void {
  program
    .command('pack')
    .description(
      'build the self-contained device package (tarball) for a Raspberry Pi, a Jetson or an x64 box',
    )
    .addOption(new Option('--target <target>', 'device platform').choices(TARGET_IDS).makeOptionMandatory())
    .option('--with-node', "include the target's Node 20 (for systems whose Node is missing or not 20)")
    .option('--out <dir>', 'where the tarball goes', '.thrum/pack')
    .option(
      '--release <name>',
      'version name of the package (default: <package version>-<8 hex of the content>)',
    )
    .addHelpText(
      'after',
      `
The package holds the device commands (run, run --check-config, sim, record, watch, score-dump) compiled into
lib/ with esbuild, only the native code of the target (onnxruntime-node's binary for it, or none on armv7
where the wasm engine scores; onnxruntime-web's .wasm; better-sqlite3 cross-compiled with Debian's
g++-aarch64-linux-gnu / g++-arm-linux-gnueabihf; serialport's prebuild), install.sh, the systemd unit, a
config template and a MANIFEST with the sha256 of every file. Cross-compiled parts are cached in
.thrum/pack-cache/ (THRUM_PACK_CACHE), so only the first pack for a target takes minutes.

Examples:
  thrum pack --target linux-arm64                     # Raspberry Pi OS 64-bit, Ubuntu / JetPack on a Jetson
  thrum pack --target linux-armv7 --with-node         # Raspberry Pi OS 32-bit (Node 20 included)
  thrum deploy --ssh pi@pump-7.local --target linux-arm64 --bundle bundle/   # pack, copy, install, restart`,
    )
    .action(async (opts: { target: string; withNode?: boolean; out: string; release?: string }) => {
      const { pack, describePack } = await import('../../tools/pack/pack.js');
      const result = await pack({
        target: opts.target,
        withNode: opts.withNode,
        out: opts.out,
        version: opts.release,
        say: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(`${describePack(result)}\n`);
    });
}
