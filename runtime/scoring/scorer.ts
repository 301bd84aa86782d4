import type { Contribution } from '../../shared/detector/types.js';
import { ThrumError } from '../../shared/errors.js';
import type { FeatureGroup } from '../../shared/features/spec.js';
import type { BatchScorer, BatchScores } from '../operators/score-batches.js';
import type { InferenceEngine } from './inference-engine.js';

export interface ScorerOptions {
  /** Feature groups reported per window, largest share first. Default 3. */
  topGroups?: number;
}

/**
 * Turns reconstructions into window scores: score = mean over the normalized feature vector of the squared
 * reconstruction error (the manifest's `score: mse`), and `contributions` = the feature groups (e.g.
 * `x/spectrum`) holding the largest shares of that squared error, so an alert says which axis or band is off.
 */
export function createScorer(
  engine: InferenceEngine,
  groups: readonly FeatureGroup[],
  options: ScorerOptions = {},
): BatchScorer {
  const size = engine.inputSize;
  const top = options.topGroups ?? 3;
  checkGroups(groups, size);
  const groupError = new Float64Array(groups.length);

  const starts = Int32Array.from(groups, (g) => g.start);
  const ends = Int32Array.from(groups, (g) => g.end);

  /** Fills groupError for the window at `base` and returns its total squared error. */
  const squaredError = (features: Float32Array, recon: Float32Array, base: number) => {
    let total = 0;
    for (let g = 0; g < starts.length; g++) {
      let sum = 0;
      for (let j = base + starts[g]; j < base + ends[g]; j++) {
        const d = features[j] - recon[j];
        sum += d * d;
      }
      groupError[g] = sum;
      total += sum;
    }
    return total;
  };

  return {
    size,
    async score(features, n): Promise<BatchScores> {
      const recon = await engine.run(features, n);
      if (recon.length < n * size) {
        throw new Error(`inference returned ${recon.length} values for ${n} windows of ${size}`);
      }
      const scores = new Float64Array(n);
      const contributions: Contribution[][] = new Array(n);
      for (let i = 0; i < n; i++) {
        const total = squaredError(features, recon, i * size);
        scores[i] = total / size;
        contributions[i] = topShares(groups, groupError, total, top);
      }
      return { scores, contributions };
    },
  };
}

/** The `top` groups by squared error, with their share of the total; none when the error is zero. */
function topShares(
  groups: readonly FeatureGroup[],
  error: Float64Array,
  total: number,
  top: number,
): Contribution[] {
  if (!(total > 0)) return [];
  const picked: number[] = [];
  for (let g = 0; g < error.length; g++) {
    if (error[g] <= 0) continue;
    let at = picked.length;
    while (at > 0 && error[picked[at - 1]] < error[g]) at--;
    if (at < top) {
      picked.splice(at, 0, g);
      if (picked.length > top) picked.pop();
    }
  }
  return picked.map((g) => ({ group: groups[g].name, share: error[g] / total }));
}

function checkGroups(groups: readonly FeatureGroup[], size: number): void {
  let covered = 0;
  for (const g of groups) {
    if (g.start < 0 || g.end > size || g.end < g.start) {
      throw new ThrumError(
        'BAD_BUNDLE',
        `feature group ${g.name} [${g.start}, ${g.end}) lies outside the model input of ${size}: ` +
          "the bundle's feature spec and model disagree; retrain the bundle",
      );
    }
    covered += g.end - g.start;
  }
  if (covered !== size) {
    throw new ThrumError(
      'BAD_BUNDLE',
      `feature groups cover ${covered} of ${size} model inputs: the bundle's feature spec and model disagree; ` +
        'retrain the bundle',
    );
  }
}
