import type { BundleRuntime } from '../../runtime/open-bundle.js';
import { selfTest } from '../../runtime/self-test.js';
import { GOLDEN_FILE, readGolden } from '../../shared/bundle/golden.js';
import type { Bundle } from '../../shared/bundle/read.js';
import { ThrumError } from '../../shared/errors.js';
import type { Log } from '../../shared/log.js';
import type { BundleTrust } from '../bundle-trust.js';
import type { BundleProvenance } from './ports.js';

/**
 * The load-time checks of the bundle the daemon is about to run, logged: its signature state (already
 * enforced by checkBundle) and the golden self-test on the engine the daemon will score with. Throws
 * BAD_BUNDLE (exit 2) when the self-test fails; the caller closes the runtime.
 */
export async function checkLoadedBundle(
  bundle: Bundle,
  runtime: BundleRuntime,
  trust: BundleTrust,
  log: Log,
): Promise<BundleProvenance> {
  const { bundleId } = bundle.manifest;
  if (trust.signed) {
    log.info({ event: 'bundle.verified', bundleId, keyId: trust.keyId }, 'bundle signature verified');
  } else {
    log.warn(
      { event: 'bundle.unsigned', bundleId, reason: trust.unsignedReason },
      'bundle is not signed by a trusted key (model.trustedKeys is empty); anyone who can write the bundle directory decides what runs',
    );
  }
  const signature = { signed: trust.signed, ...(trust.signed && trust.keyId ? { keyId: trust.keyId } : {}) };

  const golden = await readGolden(bundle);
  if (!golden) {
    const reason = `the bundle has no ${GOLDEN_FILE} (trained before golden windows existed); retrain it to get the self-test`;
    log.info({ event: 'bundle.self-test', bundleId, skipped: true, reason }, 'self-test skipped');
    return { ...signature, selfTest: 'skipped' };
  }
  const result = await selfTest(runtime, golden);
  const fields = {
    bundleId,
    variant: result.variant,
    windows: result.windows,
    maxRelError: result.maxRelError,
    tolerance: result.tolerance,
  };
  if (!result.ok) {
    log.error(
      { event: 'bundle.self-test.failed', ...fields, reason: result.reason },
      'bundle self-test failed',
    );
    throw new ThrumError('BAD_BUNDLE', `${bundle.dir}: refused: self-test failed: ${result.reason}`);
  }
  log.info({ event: 'bundle.self-test', ...fields }, 'bundle self-test passed');
  return { ...signature, selfTest: { maxRelError: result.maxRelError, windows: result.windows } };
}
