import { fitGamma, gammaQuantileAbove } from '../../../trainer/calibration/gamma-fit.js';
import { POT_DEFAULTS } from '../../../trainer/calibration/tail-fit.js';
import { tailThreshold, thresholdAt } from '../../../trainer/calibration/threshold.js';

/** A way to set a threshold at rate q from calibration scores. */
export interface Method {
  name: string;
  what: string;
  threshold(scores: Float64Array, q: number): number;
}

const max = (x: Float64Array) => x.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);

/** The candidates of the study: the first two are the choice, the rest baselines and ablations. */
export const METHODS: Method[] = [
  {
    name: 'gpd-tail',
    what: 'POT + GPD as shipped (5 % tail, exponential unless the LR test rejects it, conservative fallback)',
    threshold: (x, q) => tailThreshold(x, q).threshold,
  },
  {
    name: 'gamma',
    what: 'gamma MLE of all scores, its quantile at q (the DCASE baseline, location 0)',
    threshold: (x, q) => {
      const g = fitGamma(x);
      return g ? gammaQuantileAbove(g, q) : max(x);
    },
  },
  {
    name: 'empirical',
    what: 'smallest score with at most q above it (the trainer before this change; the max when n < 1/q)',
    threshold: (x, q) => thresholdAt(x, q),
  },
  {
    name: 'gpd-free-xi',
    what: 'ablation: POT + GPD with the shape always free (SPOT)',
    threshold: (x, q) => tailThreshold(x, q, { ...POT_DEFAULTS, exponentialTest: false }).threshold,
  },
  {
    name: 'gpd-2pct',
    what: "ablation: SPOT's 98 % initial threshold instead of 95 %",
    threshold: (x, q) => tailThreshold(x, q, { ...POT_DEFAULTS, tailShare: 0.02 }).threshold,
  },
];
