import type { InferenceEngine } from '../../runtime/scoring/inference-engine.js';
import { selectVariant } from '../../runtime/scoring/select-variant.js';
import type { ModelVariant } from '../../shared/bundle/manifest.js';
import type { Bundle } from '../../shared/bundle/read.js';
import type { Log } from '../../shared/log.js';
import { checkBundle, effectiveDetector } from '../check-config.js';
import type { Config } from '../config/load-config.js';
import type { DaemonModel } from './ports.js';

/** Opens the model files of a verified bundle, one variant at a time (ortEngineFactory in production). */
export type EngineFactory = (bundle: Bundle) => (variant: ModelVariant) => Promise<InferenceEngine>;

/**
 * Verifies the bundle and its fit to the config, opens the variant the config asks for (`auto`: the faster)
 * and applies the config's detector overrides. Kept as the daemon's only use of checkBundle, selectVariant
 * and effectiveDetector, so a change to how a bundle is opened lands here alone.
 */
export async function openModel(config: Config, engines: EngineFactory, log: Log): Promise<DaemonModel> {
  const { bundle } = await checkBundle(config);
  const { variant, engine } = await selectVariant(config.model.variant, engines(bundle), log);
  return { manifest: bundle.manifest, variant, engine, detector: effectiveDetector(config, bundle, variant) };
}
