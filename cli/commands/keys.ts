import type { Command } from 'commander';

export function register(program: Command): void {
  const keys = program.command('keys').description('Ed25519 keys that sign model bundles');
  keys
    .command('create')
    .description('create a signing key pair: <name>.key (private, 0600) and <name>.pub (for devices)')
    .requiredOption('--out <dir>', 'directory for the key files (created 0700 when missing)')
    .option('--name <name>', 'file name of the pair, e.g. 2026-q1 for a rotation', 'signing')
    .addHelpText(
      'after',
      `
The private key (<name>.key, PKCS#8 PEM, mode 0600, unencrypted) stays on the machine that builds bundles:
whoever holds it can sign bundles every device trusts. Existing files are never overwritten. The public key
(<name>.pub) goes to the devices: list it under model.trustedKeys in thrum.yaml (a path or the PEM inline).
The key id (16 hex digits of the sha256 of the public key) is printed and appears in signature.json and in
\`thrum run --check-config\`.

Rotation: create a new pair, add its .pub to model.trustedKeys next to the old one on every device, sign new
bundles with the new key, and drop the old .pub once no device runs a bundle signed with it.

Examples:
  thrum keys create --out ~/.config/thrum/keys
  thrum keys create --out keys --name 2026-q1
  thrum train --data healthy.csv --out bundles/pump1 --sign ~/.config/thrum/keys/signing.key`,
    )
    .action(async (opts: { out: string; name: string }) => {
      const { createKeyPair } = await import('../../shared/bundle/key-files.js');
      const created = createKeyPair(opts.out, opts.name);
      process.stdout.write(
        [
          `key id       ${created.keyId}`,
          `private key  ${created.privatePath} (mode 0600; keep it on the signing machine)`,
          `public key   ${created.publicPath} (for devices: model.trustedKeys in thrum.yaml)`,
        ].join('\n') + '\n',
      );
    });
}
