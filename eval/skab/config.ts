import type { DetectorRule } from '../../shared/bundle/manifest.js';
import type { TrainOptions } from '../../trainer/options.js';
import type { ThresholdRule } from '../threshold-rule.js';
import type { SkabChannel } from './dataset.js';

/** Training knobs of one SKAB model (the rest of TrainOptions is fixed by the protocol). */
export type SkabTrainKnobs = Pick<
  TrainOptions,
  | 'window'
  | 'hop'
  | 'features'
  | 'model'
  | 'bottleneck'
  | 'denoise'
  | 'beta'
  | 'epochs'
  | 'patience'
  | 'batchSize'
  | 'learningRate'
  | 'seed'
  | 'valSplit'
  | 'holdout'
  | 'int8Headroom'
  | 'targetFar'
>;

/** One configuration for all 34 files: how each model is trained, thresholded and alerted on. */
export interface SkabConfig {
  /** Sensor columns the models see (a subset of SKAB_CHANNELS, in file order); default all 8. */
  channels?: readonly SkabChannel[];
  train: SkabTrainKnobs;
  /** Threshold = factor × quantile of the scores of the training slice's windows (per file, per variant). */
  threshold: ThresholdRule;
  detector: DetectorRule;
}

/**
 * The configuration chosen by cross-validation across files (eval/quality/skab-tune.ts; every candidate and its
 * figures are in bench/results/quality.tuning.md): tuned on half of each group's files (valve1, valve2, other),
 * checked on the other half; model and rules ranked by the tuning-fold figures (mean over seeds 1-3, which for
 * pca are identical).
 * - vibration RMS (both accelerometers) and flow only: the temperature channels drift through every run, and
 *   current, pressure and voltage added noise rather than signal in the tuning fold;
 * - 2-row windows of raw standardized samples (6 inputs) into a linear autoencoder with a 2-unit bottleneck
 *   fitted in closed form (`--model pca`): on 400 training rows the 6-8-4-2 tfjs autoencoder's result moved
 *   with its seed (F1 0.829-0.855, FAR 13.7-20.2 % over seeds 1-3); pca has no seed and scored better on both
 *   folds;
 * - threshold = 0.9 x the highest window score of the 400 training rows;
 * - raise on 3 of the last 5 windows over it; clear after 5 windows below half of it, or below 0.01 x the
 *   episode's peak (after a severe event, e.g. a 100x cavitation score, the machine settling near the
 *   threshold starts a new episode rather than extending the old one); no cooldown.
 */
export const SKAB_CONFIG: SkabConfig = {
  channels: ['Accelerometer1RMS', 'Accelerometer2RMS', 'Volume Flow RateRMS'],
  // pca has no epochs, patience or seed to set.
  train: { window: 2, hop: 1, features: ['raw'], model: 'pca', bottleneck: 2 },
  threshold: { quantile: 1, factor: 0.9 },
  detector: { k: 3, n: 5, clearRatio: 0.5, minClearWindows: 5, cooldownWindows: 0, clearPeakRatio: 0.01 },
};
