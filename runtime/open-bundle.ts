import { int8ParityOf } from '../shared/bundle/int8-parity.js';
import { type Manifest, MODEL_VARIANTS, type ModelVariant } from '../shared/bundle/manifest.js';
import { type Bundle, readBundle } from '../shared/bundle/read.js';
import { bundleDetector, type DetectorConfig, type DetectorOverrides } from '../shared/detector/config.js';
import { FeatureExtractor } from '../shared/features/extractor.js';
import { type Log, silentLog } from '../shared/log.js';
import { openEngine } from './engines/open-engine.js';
import type { BatchScorer } from './operators/score-batches.js';
import type { Workload } from './scoring/expected-batch.js';
import type { InferenceEngine } from './scoring/inference-engine.js';
import type { MeasureOptions } from './scoring/measure.js';
import { createScorer } from './scoring/scorer.js';
import { selectVariant, type VariantRequest } from './scoring/select-variant.js';

/**
 * A bundle ready to run on a stream: everything `buildAlertPipeline` / `scoredWindows` take (spec =
 * `manifest.features`, `extractor`, `scorer`, `detector`), plus the engine under the scorer.
 */
export interface BundleRuntime {
  /** Absolute path of the bundle directory. */
  dir: string;
  manifest: Manifest;
  /** The variant that runs (the faster one when `auto` was asked for). */
  variant: ModelVariant;
  /** `auto` only: why that variant (health/inference `variantReason`). */
  variantReason?: string;
  /** `auto` only: the measured cost per window of both variants at the expected batch size. */
  perWindowUs?: Record<ModelVariant, number>;
  extractor: FeatureExtractor;
  engine: InferenceEngine;
  /** createScorer over the engine: the one score (MSE over the normalized features) and its contributions. */
  scorer: BatchScorer;
  /** The bundle's rule and the variant's calibration, with the overrides applied. */
  detector: DetectorConfig;
  /** Releases the ONNX Runtime session. */
  close(): Promise<void>;
}

export interface OpenBundleOptions {
  /**
   * `int8` (default, as on the device), `fp32`, or `auto`: fp32 when the bundle's int8 parity is poor, else
   * the faster at the expected batch size (see `workload`).
   */
  variant?: VariantRequest;
  /** Overrides of the bundle's detector rule and threshold (the daemon's `detector:` config). */
  detector?: DetectorOverrides;
  /** Where `auto` reports what it measured. Default: nowhere. */
  log?: Log;
  /** How `auto` measures (batches, warmup; the batch size when no `workload` is given). */
  measure?: MeasureOptions;
  /**
   * How the daemon will batch windows (the bundle's sampleRate and hop are taken from the manifest): `auto`
   * then measures at the expected batch size. Absent: at measure.batchSize (default 64), as offline scoring.
   */
  workload?: Pick<Workload, 'sensors' | 'maxDelayMs' | 'maxBatch'>;
  /** Opens a variant's model: ONNX Runtime by default; another engine, or a fake in a test. */
  engines?: EngineFactory;
}

/** Opens the model files of a verified bundle, one variant at a time. */
export type EngineFactory = (bundle: Bundle) => (variant: ModelVariant) => Promise<InferenceEngine>;

/**
 * The one way to open a bundle for running: reads and verifies it (manifest checks, sha256 of the model files
 * it may run) unless given an already-read `Bundle`, validates the detector overrides before any session opens,
 * opens the variant with ONNX Runtime (`selectVariant`), and builds the shared extractor and the scorer.
 * Used by the daemon, `thrum eval`, the benchmarks and the tests.
 */
export async function openBundleRuntime(
  source: string | Bundle,
  options: OpenBundleOptions = {},
): Promise<BundleRuntime> {
  const request = options.variant ?? 'int8';
  const candidates = request === 'auto' ? MODEL_VARIANTS : [request];
  const bundle = typeof source === 'string' ? await readBundle(source, { variants: candidates }) : source;
  const { manifest } = bundle;
  for (const v of candidates) bundleDetector(manifest, v, options.detector);
  const extractor = new FeatureExtractor(manifest.features, manifest.normalization, manifest.channelNames);
  const choice = await selectVariant(
    request,
    (options.engines ?? nativeEngines(options.log ?? silentLog))(bundle),
    options.log ?? silentLog,
    {
      measure: options.measure,
      workload: options.workload && {
        ...options.workload,
        sampleRate: manifest.features.sampleRate,
        hop: manifest.features.hop,
      },
      parity: int8ParityOf(manifest),
    },
  );
  const { engine, variant } = choice;
  let scorer: BatchScorer;
  try {
    scorer = createScorer(engine, extractor.groups);
  } catch (error) {
    await engine.close();
    throw error;
  }
  return {
    dir: bundle.dir,
    manifest,
    variant,
    variantReason: choice.reason,
    perWindowUs: choice.perWindowUs,
    extractor,
    engine,
    scorer,
    detector: bundleDetector(manifest, variant, options.detector),
    close: () => engine.close(),
  };
}

/**
 * onnxruntime-node, loaded only when a variant is opened (through open-engine.ts), so importing this module on
 * a board without its binary (linux/arm) does not crash: the daemon passes its own choice there.
 */
function nativeEngines(log: Log): EngineFactory {
  return (bundle) => {
    const chosen = openEngine('native', bundle, log);
    return async (variant) => (await chosen).factory(variant);
  };
}
