import { basename } from 'node:path';
import type { ModelVariant } from '../shared/bundle/manifest.js';
import type { Bundle } from '../shared/bundle/read.js';
import { readBundle } from '../shared/bundle/read.js';
import { bundleDetector, type DetectorConfig } from '../shared/detector/index.js';
import { ThrumError } from '../shared/errors.js';
import { type BundleTrust, checkBundleTrust } from './bundle-trust.js';
import type { Config } from './config/load-config.js';

/** The model files to verify: `auto` measures both at start and keeps the faster. */
export function variantsToVerify(config: Config): ModelVariant[] {
  return config.model.variant === 'auto' ? ['int8', 'fp32'] : [config.model.variant];
}

/** The bundle's detector rule with the config's overrides, validated against the chosen variant. */
export function effectiveDetector(config: Config, bundle: Bundle, variant: ModelVariant): DetectorConfig {
  return bundleDetector(bundle.manifest, variant, config.detector);
}

/**
 * Everything `thrum run` checks before it opens a port or a socket: the bundle's signature (model.trustedKeys),
 * the bundle (with hashes) and its fit.
 */
export async function checkBundle(config: Config): Promise<{
  bundle: Bundle;
  variants: ModelVariant[];
  detector: (variant: ModelVariant) => DetectorConfig;
  trust: BundleTrust;
}> {
  const variants = variantsToVerify(config);
  // Before anything the manifest says is believed.
  const trust = await checkBundleTrust(config);
  const bundle = await readBundle(config.model.bundle, { variants });
  const { manifest } = bundle;
  const problems: string[] = [];
  if (manifest.channelNames.length !== config.serial.channels) {
    problems.push(
      `serial.channels is ${config.serial.channels} but the bundle was trained on ${manifest.channelNames.length} (${manifest.channelNames.join(', ')})`,
    );
  }
  if (manifest.sampleRate !== config.serial.sampleRate) {
    problems.push(
      `serial.sampleRate is ${config.serial.sampleRate} but the bundle was trained at ${manifest.sampleRate} Hz`,
    );
  }
  if (problems.length > 0) {
    throw new ThrumError(
      'BAD_CONFIG',
      `${basename(config.file)}: ${problems.join('; ')}; fix the config or train a bundle for this sensor`,
    );
  }
  // Overrides that cannot work with this bundle fail here, before anything opens.
  for (const v of variants) effectiveDetector(config, bundle, v);
  return { bundle, variants, detector: (v) => effectiveDetector(config, bundle, v), trust };
}
