import type { FeatureSpec } from '../../shared/features/spec.js';
import type { VariantThreshold } from '../summary.js';
import type { VariantReport } from './calibrate-variants.js';
import { falseAlarmsPerDay, promisesTarget } from './false-alarms.js';

/** The rule in one sentence, for the summary and the report. */
export const THRESHOLD_RULE =
  'GPD tail (peaks over the 95 % holdout quantile, exponential unless a likelihood-ratio test rejects it) at ' +
  'targetFar; if the fit is not trusted, max(holdout maximum, exponential-tail quantile)';

/** What the summary states about one variant's threshold, from its calibration. */
export function variantThreshold(r: VariantReport, targetFar: number, spec: FeatureSpec): VariantThreshold {
  const { fit } = r;
  const selected = fit.fit.fit;
  return {
    threshold: fit.threshold,
    holdoutFar: r.holdoutFar,
    anomalyDetectRate: r.anomalyDetectRate,
    method: fit.method,
    ...(fit.fallback ? { fallback: fit.fallback } : {}),
    ...(fit.tail && selected
      ? {
          tail: {
            u: fit.tail.u,
            excesses: fit.tail.excesses,
            sigma: fit.tail.sigma,
            xi: fit.tail.xi,
            fit: selected.method,
          },
        }
      : {}),
    expectedFar: fit.far,
    falseAlarmsPerDay: falseAlarmsPerDay(fit.far, spec.sampleRate, spec.hop),
    promisesTarget: promisesTarget(fit.far, targetFar),
  };
}
