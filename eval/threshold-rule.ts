import { quantile } from '../trainer/calibration/threshold.js';

/**
 * A threshold set from normal scores: factor × the q-quantile of the scores (linear interpolation, numpy's
 * default). The SKAB Conv-AE baseline uses q = 0.999 of its training residuals and factor 4/3.
 */
export interface ThresholdRule {
  quantile: number;
  factor: number;
}

export function thresholdFromScores(scores: ArrayLike<number>, rule: ThresholdRule): number {
  if (scores.length === 0) throw new RangeError('thresholdFromScores: no scores');
  if (!(rule.quantile >= 0 && rule.quantile <= 1) || !(rule.factor > 0)) {
    throw new RangeError(`thresholdFromScores: need quantile in [0, 1] and factor > 0`);
  }
  return rule.factor * quantile(Float64Array.from(scores).sort(), rule.quantile);
}
