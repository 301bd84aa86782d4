/** At most `cap` indices of 0..n-1, evenly spread and ascending, the first and the last always included. */
export function evenIndices(n: number, cap: number): number[] {
  if (n <= cap) return Array.from({ length: n }, (_, i) => i);
  if (cap <= 1) return cap === 1 ? [0] : [];
  return Array.from({ length: cap }, (_, i) => Math.round((i * (n - 1)) / (cap - 1)));
}

export function pick(values: ArrayLike<number>, indices: readonly number[]): number[] {
  return indices.map((i) => values[i]);
}
