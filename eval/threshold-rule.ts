import { quantile } from '../trainer/calibration/threshold.js';

/**
 * A threshold set from normal scores: factor × the q-quantile of the scores (linear interpolation, numpy's
 * default). The SKAB Conv-AE baseline uses q = 0.999 of its training residuals and factor 4/3.
 */
export interface QuantileRule {
  quantile: number;
  factor: number;
}

/**
 * Keep the threshold the trainer calibrated: the GPD tail fitted to its holdout at the bundle's targetFar
 * (trainer/calibration/threshold.ts), the product's own method, so a benchmark can measure it as shipped.
 */
export interface TrainerRule {
  trainer: 'tail-fit';
}

export type ThresholdRule = QuantileRule | TrainerRule;

export const TRAINER_THRESHOLD: TrainerRule = { trainer: 'tail-fit' };

export const isQuantileRule = (rule: ThresholdRule): rule is QuantileRule => !('trainer' in rule);

/** In words, for reports: `0.9 x the maximum of <on>` or the trainer's tail fit. */
export function describeThresholdRule(rule: ThresholdRule, on: string): string {
  if (!isQuantileRule(rule)) {
    return "the trainer's own: GPD tail of its holdout's window scores (last 20 % of the training data) at targetFar";
  }
  const q = rule.quantile === 1 ? 'the maximum' : `the ${rule.quantile} quantile`;
  return `${+rule.factor.toFixed(4)} x ${q} of ${on}`;
}

export function thresholdFromScores(scores: ArrayLike<number>, rule: QuantileRule): number {
  if (scores.length === 0) throw new RangeError('thresholdFromScores: no scores');
  if (!(rule.quantile >= 0 && rule.quantile <= 1) || !(rule.factor > 0)) {
    throw new RangeError(`thresholdFromScores: need quantile in [0, 1] and factor > 0`);
  }
  return rule.factor * quantile(Float64Array.from(scores).sort(), rule.quantile);
}
