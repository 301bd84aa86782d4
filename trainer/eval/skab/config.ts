import type { DetectorRule } from '../../../shared/bundle/manifest.js';
import type { TrainOptions } from '../../options.js';
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
 * The configuration chosen by cross-validation across files (scripts/quality/skab-tune.ts: tuned on valve1,
 * checked on valve2 + other; see bench/results/quality.log.md for every candidate and its figures).
 */
export const SKAB_CONFIG: SkabConfig = {
  train: { window: 16, hop: 1, features: ['raw'], epochs: 30, patience: 10, seed: 1 },
  threshold: { quantile: 0.999, factor: 4 / 3 },
  detector: { k: 3, n: 5, clearRatio: 0.8, minClearWindows: 5, cooldownWindows: 10 },
};
