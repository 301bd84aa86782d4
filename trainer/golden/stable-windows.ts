import { type OrtModelIo, openOrtEngine } from '../../runtime/engines/ort-engine.js';
import { scoreFeatureRows } from '../../runtime/scoring/score-matrix.js';
import { createScorer } from '../../runtime/scoring/scorer.js';
import { SELF_TEST_TOLERANCE } from '../../runtime/self-test.js';
import type { FeatureGroup } from '../../shared/features/spec.js';
import type { Range } from '../onnx/activation-ranges.js';

/**
 * Relative move of every int8 activation scale used to find fragile windows: 10x the float noise between ORT
 * builds (runtime/self-test.ts). A window whose hidden activation sits this close to a rounding step could round
 * the other way on another CPU and fail the self-test for no fault of the bundle.
 */
export const SCALE_JITTER = 1e-6;

/** Activation ranges scaled by `factor`: the int8 export then scales every activation's quantization step by it. */
export function jitteredRanges(ranges: readonly Range[], factor: number): Range[] {
  return ranges.map((r) => ({ min: r.min * factor, max: r.max * factor }));
}

/**
 * Marks the windows whose int8 score stays within a quarter of the self-test tolerance when scored with each of
 * the `jittered` int8 models (the same model exported with jitteredRanges(ranges, 1 -/+ SCALE_JITTER)): no hidden
 * activation of theirs is near a rounding step. Scored through runtime/ like every other score.
 */
export async function stableWindows(
  jittered: readonly Uint8Array[],
  io: OrtModelIo,
  groups: readonly FeatureGroup[],
  rows: Float32Array,
  reference: ArrayLike<number>,
): Promise<Uint8Array> {
  const stable = new Uint8Array(reference.length).fill(1);
  for (const model of jittered) {
    const engine = await openOrtEngine(model, io);
    try {
      const scores = await scoreFeatureRows(createScorer(engine, groups), rows);
      for (let i = 0; i < scores.length; i++) {
        const ref = reference[i]!;
        if (!(Math.abs(scores[i]! - ref) <= (SELF_TEST_TOLERANCE / 4) * ref)) stable[i] = 0;
      }
    } finally {
      await engine.close();
    }
  }
  return stable;
}
