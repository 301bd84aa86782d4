// The golden self-test: before a bundle runs, score its golden windows on the engine that will run it (this
// CPU, this ONNX Runtime build) and compare with the scores the trainer measured. It catches what hashes cannot:
// a model that loads but computes something else here (an ORT build or CPU whose kernels differ, a broken
// feature path), and, without a signature, golden.json or a threshold edited in the manifest. The trainer
// computes the expected scores with goldenScores() too, so both sides score through the same code.
import { type Golden, readGolden, thresholdProblems } from '../shared/bundle/golden.js';
import { MODEL_VARIANTS, type ModelVariant } from '../shared/bundle/manifest.js';
import type { Bundle } from '../shared/bundle/read.js';
import { type BundleRuntime, type OpenBundleOptions, openBundleRuntime } from './open-bundle.js';
import { scoreFeatureRows } from './scoring/score-matrix.js';
import { streamScores } from './stream-scores.js';

/**
 * Largest relative difference |score here - trainer's score| / trainer's score accepted per golden window, both
 * variants. Measured on the fixture bundles (36-96 inputs, ae and pca) on an AVX2+FMA EPYC:
 * - fp32, ORT native vs ORT's wasm SIMD build (other kernels, no FMA; what another CPU does differently): at most
 *   9.1e-7. Batch 1 vs 256 and repeated runs: bit-identical.
 * - int8: bit-identical native vs wasm (hidden layers accumulate exactly in integers; requantizing is one IEEE
 *   multiply and a round), and the unfused QDQ float path differs by at most 7.2e-7. What can differ across ISAs
 *   is a hidden activation landing on the other side of a rounding step: that moves a score by 2e-3 to 0.26 (a
 *   step in a 2-unit bottleneck). The trainer keeps such windows out of golden.json (trainer/golden: only
 *   windows whose int8 score holds still when every requantization scale is moved by 1e-6, 10x the float noise).
 * 1e-4 is 100x the float noise and 20x below the smallest step: a device refuses only a bundle that computes
 * something else here. Kept in code, never in the bundle: a tampered bundle cannot widen it.
 */
export const SELF_TEST_TOLERANCE = 1e-4;

export interface SelfTestResult {
  ok: boolean;
  variant: ModelVariant;
  /** Golden windows scored. */
  windows: number;
  /** Largest relative score error over the windows (Infinity when an engine returned NaN). */
  maxRelError: number;
  tolerance: number;
  /** Why it failed: the window beyond tolerance, or the threshold rule (golden.ts thresholdProblems). */
  reason?: string;
}

/** Scores of the golden windows on the runtime's engine, in file order, through the runtime's scoring code. */
export async function goldenScores(
  runtime: Pick<BundleRuntime, 'manifest' | 'extractor' | 'scorer'>,
  golden: Golden,
): Promise<Float64Array> {
  const { manifest, extractor, scorer } = runtime;
  const rows = new Float32Array(golden.windows.length * golden.size);
  golden.windows.forEach((w, i) => {
    rows.set(w.values, i * golden.size);
  });
  if (golden.input === 'features') return scoreFeatureRows(scorer, rows);
  // Windows laid end to end and cut with hop = window: each golden window is one window of the stream, through
  // toWindows -> toFeatures -> scoreBatches, as the daemon scores sensor data.
  const spec = { ...manifest.features, hop: manifest.features.window };
  const scored = await streamScores(rows, spec, extractor, scorer);
  return Float64Array.from(scored, (w) => w.score);
}

/**
 * Scores the golden windows on `runtime` (the engine openBundleRuntime opened) and checks them against the
 * trainer's scores for the running variant, then the threshold rule for both variants (the running one with the
 * scores measured here, the other with the trainer's). Throws only when scoring itself fails.
 */
export async function selfTest(runtime: BundleRuntime, golden: Golden): Promise<SelfTestResult> {
  const { variant, manifest } = runtime;
  const scores = await goldenScores(runtime, golden);
  let maxRelError = 0;
  let worst = -1;
  golden.windows.forEach((w, i) => {
    const rel = relativeError(scores[i]!, w.expected[variant]);
    if (!(rel <= maxRelError)) {
      maxRelError = Number.isNaN(rel) ? Number.POSITIVE_INFINITY : rel;
      worst = i;
    }
  });
  const result = { variant, windows: golden.windows.length, maxRelError, tolerance: SELF_TEST_TOLERANCE };
  if (!(maxRelError <= SELF_TEST_TOLERANCE)) {
    const w = golden.windows[worst]!;
    return {
      ...result,
      ok: false,
      reason:
        `golden window ${worst} (${w.label}) scores ${scores[worst]} on this machine's ${variant} engine, the bundle ` +
        `expects ${w.expected[variant]} (relative error ${maxRelError.toExponential(2)} > ${SELF_TEST_TOLERANCE}): ` +
        'the model, golden.json or this ONNX Runtime does not compute what the trainer did',
    };
  }
  const byVariant: Partial<Record<ModelVariant, ArrayLike<number>>> = {};
  for (const v of MODEL_VARIANTS) {
    byVariant[v] = v === variant ? scores : golden.windows.map((w) => w.expected[v]);
  }
  const problems = thresholdProblems(manifest, golden, byVariant);
  if (problems.length > 0) return { ...result, ok: false, reason: problems.join('; ') };
  return { ...result, ok: true };
}

/**
 * Self-tests each of `variants` of a verified bundle, opening one at a time (what `thrum sign`, `thrum run
 * --check-config` and the trainer's read-back check run; the daemon tests the one runtime it keeps). Undefined
 * when the bundle has no golden.json.
 */
export async function selfTestBundle(
  bundle: Bundle,
  variants: readonly ModelVariant[] = MODEL_VARIANTS,
  options: Omit<OpenBundleOptions, 'variant'> = {},
): Promise<SelfTestResult[] | undefined> {
  const golden = await readGolden(bundle);
  if (!golden) return undefined;
  const results: SelfTestResult[] = [];
  for (const variant of variants) {
    const runtime = await openBundleRuntime(bundle, { ...options, variant });
    try {
      results.push(await selfTest(runtime, golden));
    } finally {
      await runtime.close();
    }
  }
  return results;
}

/** |actual - expected| / expected; 0 when both are 0 (a perfect reconstruction). */
function relativeError(actual: number, expected: number): number {
  if (actual === expected) return 0;
  return Math.abs(actual - expected) / Math.abs(expected);
}
