/** A score or threshold with 4 significant digits, in plain notation where that stays short. */
export function formatScore(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e5) return String(Number(value.toPrecision(4)));
  return value.toExponential(3);
}
