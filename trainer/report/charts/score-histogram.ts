import type { ModelVariant } from '../../../shared/bundle/manifest.js';
import type { HistogramSeries, ScoreHistogram } from '../chart-data.js';
import type { WindowSet } from '../report-input.js';

const BINS = 40;

/** `bins` + 1 log-spaced edges spanning every positive value (and the thresholds, so they fall on the axis). */
export function logEdges(values: number[], bins: number): number[] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  for (const v of values) {
    if (!(v > 0 && Number.isFinite(v))) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!Number.isFinite(lo)) [lo, hi] = [1e-3, 1];
  if (hi / lo < 1.01) [lo, hi] = [lo / 1.5, hi * 1.5];
  const a = Math.log10(lo);
  const b = Math.log10(hi);
  const edges = Array.from({ length: bins + 1 }, (_, i) => 10 ** (a + ((b - a) * i) / bins));
  // Exactly, whatever 10 ** log10 rounds to: the extremes stay inside the outer bins.
  edges[0] = lo;
  edges[bins] = hi;
  return edges;
}

/** Share (%) of `values` in each bin [edges[i], edges[i+1]); the last bin also holds the top edge. */
export function binShares(values: ArrayLike<number>, edges: number[]): number[] {
  const bins = edges.length - 1;
  const counts = new Array<number>(bins).fill(0);
  const a = Math.log10(edges[0]);
  const width = (Math.log10(edges[bins]) - a) / bins;
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v > 0)) continue;
    const bin = Math.floor((Math.log10(v) - a) / width);
    counts[Math.min(bins - 1, Math.max(0, bin))]++;
    total++;
  }
  return counts.map((c) => (total ? (100 * c) / total : 0));
}

export function scoreHistogram(
  holdout: WindowSet,
  anomalous: WindowSet,
  thresholds: Record<ModelVariant, number>,
): ScoreHistogram {
  const sets = { normal: holdout, anomalous } as const;
  const all = [thresholds.fp32, thresholds.int8];
  for (const set of [holdout, anomalous])
    for (const v of [set.scores.fp32, set.scores.int8]) for (const s of v) all.push(s);
  const edges = logEdges(all, BINS);
  const series: HistogramSeries[] = [];
  for (const windows of ['normal', 'anomalous'] as const) {
    for (const variant of ['fp32', 'int8'] as const)
      series.push({ variant, windows, share: binShares(sets[windows].scores[variant], edges) });
  }
  return { edges, series, thresholds };
}
