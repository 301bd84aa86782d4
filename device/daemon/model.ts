import { type EngineFactory, openBundleRuntime } from '../../runtime/open-bundle.js';
import type { Log } from '../../shared/log.js';
import { checkBundle } from '../check-config.js';
import type { Config } from '../config/load-config.js';
import { checkLoadedBundle } from './bundle-checks.js';
import type { BundleProvenance, DaemonModel } from './ports.js';

export type { EngineFactory };

/**
 * Verifies the bundle (signature, hashes) and its fit to the config, opens it with the runtime's one bundle
 * opener (the variant the config asks for; `auto`: int8 parity, then cost at the batch size this config runs;
 * the config's detector overrides applied), and runs the golden self-test on the opened engine.
 */
export async function openModel(config: Config, engines: EngineFactory, log: Log): Promise<DaemonModel> {
  const { bundle, trust } = await checkBundle(config);
  const runtime = await openBundleRuntime(bundle, {
    variant: config.model.variant,
    detector: config.detector,
    log,
    engines,
    // One serial source per daemon today: its windows are the only ones sharing the engine.
    workload: { sensors: 1, maxDelayMs: config.inference.maxDelayMs, maxBatch: config.inference.maxBatch },
  });
  let provenance: BundleProvenance;
  try {
    // On the engine the daemon will score with: a bundle that computes something else on this machine stops here.
    provenance = await checkLoadedBundle(bundle, runtime, trust, log);
  } catch (error) {
    await runtime.close();
    throw error;
  }
  return {
    manifest: runtime.manifest,
    variant: runtime.variant,
    variantReason: runtime.variantReason,
    engine: runtime.engine,
    detector: runtime.detector,
    provenance,
  };
}
