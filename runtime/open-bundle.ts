import type { DetectorRule, Manifest, ModelVariant } from '../shared/bundle/manifest.js';
import { readBundle } from '../shared/bundle/read.js';
import { type DetectorConfig, detectorConfig } from '../shared/detector/config.js';
import { FeatureExtractor } from '../shared/features/extractor.js';
import { ortEngineFactory } from './engines/ort-engine.js';
import type { InferenceEngine } from './scoring/inference-engine.js';

/** A bundle opened the way the daemon opens it: verified files, the shared extractor, ORT, the detector rule. */
export interface EvalModel {
  dir: string;
  manifest: Manifest;
  variant: ModelVariant;
  extractor: FeatureExtractor;
  engine: InferenceEngine;
  detector: DetectorConfig;
  close(): Promise<void>;
}

export interface EvalModelOptions {
  /** Model variant to run (default int8, as on the device). */
  variant?: ModelVariant;
  /** Overrides of the bundle's detector rule (like the daemon's `detector:` config). */
  rule?: Partial<DetectorRule>;
}

export async function openEvalModel(dir: string, options: EvalModelOptions = {}): Promise<EvalModel> {
  const variant = options.variant ?? 'int8';
  const bundle = await readBundle(dir, { variants: [variant] });
  const { manifest } = bundle;
  const rule = { ...manifest.detector, ...definedOnly(options.rule ?? {}) };
  const detector = detectorConfig(rule, manifest.variants[variant]);
  const extractor = new FeatureExtractor(manifest.features, manifest.normalization, manifest.channelNames);
  const engine = await ortEngineFactory(bundle)(variant);
  return {
    dir: bundle.dir,
    manifest,
    variant,
    extractor,
    engine,
    detector,
    close: () => engine.close(),
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
