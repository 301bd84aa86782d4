import type { DetectorRule, Manifest, ModelVariant, VariantCalibration } from '../bundle/manifest.js';
import { ThrumError } from '../errors.js';

/** Everything the detector reducer needs, validated once: the rule, the threshold and its reference. */
export interface DetectorConfig {
  rule: DetectorRule;
  threshold: number;
  /** clearRatio x threshold: a raised sensor clears after minClearWindows windows in a row below this. */
  clearLevel: number;
  reference: VariantCalibration['reference'];
}

/**
 * Builds the detector config from a rule (bundle defaults or config overrides) and the calibration of the
 * model variant in use. Throws ThrumError BAD_CONFIG / BAD_BUNDLE naming the field when they cannot work.
 */
export function detectorConfig(
  rule: DetectorRule,
  calibration: Pick<VariantCalibration, 'threshold' | 'reference'>,
): DetectorConfig {
  if (rule.k > rule.n) {
    throw new ThrumError(
      'BAD_CONFIG',
      `detector.k (${rule.k}) is larger than detector.n (${rule.n}): k of the last n windows can never hold; set k <= n`,
    );
  }
  if (!(rule.clearRatio > 0 && rule.clearRatio <= 1)) {
    throw new ThrumError('BAD_CONFIG', `detector.clearRatio (${rule.clearRatio}) must be in (0, 1]`);
  }
  const peakRatio = rule.clearPeakRatio ?? 0;
  if (!(peakRatio >= 0 && peakRatio < 1)) {
    throw new ThrumError(
      'BAD_CONFIG',
      `detector.clearPeakRatio (${peakRatio}) must be in [0, 1); 0 turns it off`,
    );
  }
  if (!Number.isFinite(calibration.threshold) || calibration.threshold < 0) {
    throw new ThrumError(
      'BAD_BUNDLE',
      `variant threshold (${calibration.threshold}) must be a finite number >= 0; retrain the bundle`,
    );
  }
  checkReference(calibration.reference);
  return {
    rule,
    threshold: calibration.threshold,
    clearLevel: rule.clearRatio * calibration.threshold,
    reference: calibration.reference,
  };
}

/**
 * Overrides of a bundle's detector (the daemon's `detector:` config, `thrum eval`'s flags). A key that is absent
 * or undefined keeps the bundle's value; `threshold` replaces the chosen variant's calibrated threshold.
 */
export type DetectorOverrides = Partial<DetectorRule> & { threshold?: number };

/**
 * The detector a bundle runs with: its manifest's rule and the variant's calibration, with the overrides
 * applied, validated by detectorConfig. The daemon, `--check-config` and eval all merge overrides here.
 */
export function bundleDetector(
  manifest: Pick<Manifest, 'detector' | 'variants'>,
  variant: ModelVariant,
  overrides: DetectorOverrides = {},
): DetectorConfig {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const { threshold, ...rule } = defined as DetectorOverrides;
  const calibration = manifest.variants[variant];
  return detectorConfig(
    { ...manifest.detector, ...rule },
    { threshold: threshold ?? calibration.threshold, reference: calibration.reference },
  );
}

function checkReference({ probs, scores }: VariantCalibration['reference']): void {
  const where = 'variant reference quantiles';
  if (probs.length !== scores.length || probs.length < 2) {
    throw new ThrumError(
      'BAD_BUNDLE',
      `${where}: probs (${probs.length}) and scores (${scores.length}) must have the same length, at least 2`,
    );
  }
  for (let i = 1; i < probs.length; i++) {
    if (!(probs[i] >= probs[i - 1]) || !(scores[i] >= scores[i - 1])) {
      throw new ThrumError(
        'BAD_BUNDLE',
        `${where}: probs and scores must both be ascending (index ${i} is not)`,
      );
    }
  }
  if (probs[0] < 0 || probs[probs.length - 1] > 1) {
    throw new ThrumError('BAD_BUNDLE', `${where}: probs must lie in [0, 1]`);
  }
}
