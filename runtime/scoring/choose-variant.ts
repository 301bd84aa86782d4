import type { Int8Parity } from '../../shared/bundle/int8-parity.js';
import type { ModelVariant } from '../../shared/bundle/manifest.js';

/**
 * int8 must rank windows like fp32 on the bundle's held-out normal windows, and its calibrated threshold must
 * not drift far from fp32's: below these it is refused whatever its speed (a faster model that alarms on other
 * windows is not the same detector).
 */
export const INT8_MIN_SPEARMAN = 0.99;
export const INT8_MAX_THRESHOLD_SHIFT = 0.05;

export interface VariantCosts {
  /** Windows per call the costs were measured at (the expected batch size). */
  batchSize: number;
  int8UsPerWindow: number;
  fp32UsPerWindow: number;
}

export interface VariantDecision {
  variant: ModelVariant;
  /** Why, for the log and health/inference (e.g. 'int8 parity 0.82 < 0.99'). */
  reason: string;
}

/**
 * `model.variant: auto`: fp32 when the bundle's int8 parity is known and poor; otherwise the cheaper variant at
 * the batch size the daemon will run (ties go to int8: smaller, what the device was calibrated for first).
 * Unknown parity (bundles from before the trainer stored it) decides by speed and says so.
 */
export function chooseVariant(costs: VariantCosts, parity: Int8Parity | undefined): VariantDecision {
  if (parity) {
    if (!(parity.spearmanHoldout >= INT8_MIN_SPEARMAN)) {
      return {
        variant: 'fp32',
        reason: `int8 parity ${fmt(parity.spearmanHoldout, 4)} < ${INT8_MIN_SPEARMAN}`,
      };
    }
    if (!(Math.abs(parity.thresholdShift) <= INT8_MAX_THRESHOLD_SHIFT)) {
      const pct = (parity.thresholdShift * 100).toFixed(1);
      return {
        variant: 'fp32',
        reason: `int8 threshold shift ${pct} % > ${INT8_MAX_THRESHOLD_SHIFT * 100} %`,
      };
    }
  }
  const int8 = costs.int8UsPerWindow <= costs.fp32UsPerWindow;
  const [fast, slow] = int8
    ? [costs.int8UsPerWindow, costs.fp32UsPerWindow]
    : [costs.fp32UsPerWindow, costs.int8UsPerWindow];
  const speed = `${int8 ? 'int8' : 'fp32'} faster at batch ${costs.batchSize} (${fast.toFixed(2)} vs ${slow.toFixed(2)} µs/window)`;
  return { variant: int8 ? 'int8' : 'fp32', reason: parity ? speed : `${speed}; int8 parity unknown` };
}

/** Rounded down, so a value just under a limit never prints as the limit (0.98996 -> 0.9899, not 0.99). */
function fmt(x: number, digits: number): string {
  const f = 10 ** digits;
  return (Math.floor(x * f) / f).toFixed(digits);
}
