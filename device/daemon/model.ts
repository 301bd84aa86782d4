import { type EngineFactory, openBundleRuntime } from '../../runtime/open-bundle.js';
import type { Log } from '../../shared/log.js';
import { checkBundle } from '../check-config.js';
import type { Config } from '../config/load-config.js';
import type { DaemonModel } from './ports.js';

export type { EngineFactory };

/**
 * Verifies the bundle and its fit to the config, then opens it with the runtime's one bundle opener: the variant
 * the config asks for (`auto`: int8 parity, then cost at the batch size this config runs), the config's detector overrides applied.
 */
export async function openModel(config: Config, engines: EngineFactory, log: Log): Promise<DaemonModel> {
  const { bundle } = await checkBundle(config);
  const runtime = await openBundleRuntime(bundle, {
    variant: config.model.variant,
    detector: config.detector,
    log,
    engines,
    // One serial source per daemon today: its windows are the only ones sharing the engine.
    workload: { sensors: 1, maxDelayMs: config.inference.maxDelayMs, maxBatch: config.inference.maxBatch },
  });
  return {
    manifest: runtime.manifest,
    variant: runtime.variant,
    variantReason: runtime.variantReason,
    engine: runtime.engine,
    detector: runtime.detector,
  };
}
