import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('sign')
    .description('sign a model bundle (signature.json over its manifest, which hashes every file)')
    .argument('<bundle>', 'bundle directory written by thrum train')
    .requiredOption('--key <file>', 'private key written by `thrum keys create` (the .key file)')
    .addHelpText(
      'after',
      `
Checks the bundle as a device would (manifest, sha256 of every file, the golden self-test on this machine's
ONNX Runtime) and only then writes signature.json: an Ed25519 signature over the canonical JSON of
manifest.json. An existing signature is replaced (re-signing with a new key is how bundles move to it).
Devices with model.trustedKeys refuse bundles that are unsigned, signed by another key, or changed after
signing.

Examples:
  thrum sign bundles/pump1 --key ~/.config/thrum/keys/signing.key
  thrum keys create --out keys && thrum sign bundles/pump1 --key keys/signing.key`,
    )
    .action(async (dir: string, opts: { key: string }) => {
      const [
        { readPrivateKeyFile },
        { readBundle },
        { signBundle, SIGNATURE_FILE },
        { selfTestBundle },
        errors,
      ] = await Promise.all([
        import('../../shared/bundle/key-files.js'),
        import('../../shared/bundle/read.js'),
        import('../../shared/bundle/signature.js'),
        import('../../runtime/self-test.js'),
        import('../../shared/errors.js'),
      ]);
      const key = readPrivateKeyFile(opts.key);
      const bundle = await readBundle(dir);
      const failed = (await selfTestBundle(bundle))?.find((r) => !r.ok);
      if (failed) {
        throw new errors.ThrumError(
          'BAD_BUNDLE',
          `${bundle.dir}: not signed: the ${failed.variant} self-test fails (${failed.reason}); retrain the bundle (to change a threshold, set detector.threshold in thrum.yaml)`,
        );
      }
      const signature = await signBundle(bundle.dir, key);
      process.stdout.write(
        `signed ${bundle.manifest.bundleId} with key ${signature.keyId}: ${bundle.dir}/${SIGNATURE_FILE}\n`,
      );
    });
}
