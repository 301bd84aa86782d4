/** A score or threshold with 4 significant digits, in plain notation where that stays short. */
export function formatScore(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e5) return String(Number(value.toPrecision(4)));
  return value.toExponential(3);
}

/** p-values: two significant digits, and `<0.0001` below that (a calibrated p-value is never exactly 0). */
export function formatPValue(p: number): string {
  if (p < 1e-4) return 'p<0.0001';
  return `p=${Number(p.toPrecision(2))}`;
}

export function formatShare(share: number): string {
  return `${Math.round(share * 100)}%`;
}
