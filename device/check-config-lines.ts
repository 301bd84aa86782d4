// The bundle-trust part of `thrum run --check-config`: the self-test on this machine for every variant the
// config may run, and the summary lines for signature and self-test.
import { type SelfTestResult, selfTestBundle } from '../runtime/self-test.js';
import type { ModelVariant } from '../shared/bundle/manifest.js';
import type { Bundle } from '../shared/bundle/read.js';
import { ThrumError } from '../shared/errors.js';
import type { BundleTrust } from './bundle-trust.js';
import type { Config } from './config/load-config.js';

/** Self-tests each variant on this machine's ONNX Runtime; BAD_BUNDLE (exit 2) naming the first failure. */
export async function selfTestOrRefuse(
  bundle: Bundle,
  variants: readonly ModelVariant[],
  config: Config,
): Promise<SelfTestResult[] | undefined> {
  const results = await selfTestBundle(bundle, variants, { detector: config.detector });
  const failed = results?.find((r) => !r.ok);
  if (failed) {
    throw new ThrumError(
      'BAD_BUNDLE',
      `${bundle.dir}: refused: ${failed.variant} self-test failed: ${failed.reason}`,
    );
  }
  return results;
}

export function describeTrust(trust: BundleTrust): string {
  if (trust.signed) {
    return `verified: signed by key ${trust.keyId} (one of ${trust.trustedKeys} in model.trustedKeys)`;
  }
  return `unsigned (${trust.unsignedReason}); it loads because model.trustedKeys is empty, with health flag bundleUnsigned`;
}

export function describeSelfTest(results: readonly SelfTestResult[] | undefined): string {
  if (!results) return 'skipped: the bundle has no golden.json (trained before golden windows existed)';
  const worst = Math.max(...results.map((r) => r.maxRelError));
  const r = results[0]!;
  return (
    `${results.map((x) => x.variant).join(' and ')} pass on this machine: ${r.windows} golden windows, max relative ` +
    `error ${worst === 0 ? '0' : worst.toExponential(1)} (tolerance ${r.tolerance}); thresholds separate normal from anomalous`
  );
}
