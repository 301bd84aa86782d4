import { formatScore } from '../../shared/format-score.js';

export { formatScore };

/** p-values: two significant digits, and `<0.0001` below that (a calibrated p-value is never exactly 0). */
export function formatPValue(p: number): string {
  if (p < 1e-4) return 'p<0.0001';
  return `p=${Number(p.toPrecision(2))}`;
}

export function formatShare(share: number): string {
  return `${Math.round(share * 100)}%`;
}
