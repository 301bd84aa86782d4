import { type FeatureExtractor, frequencyOfBand } from '../../../shared/features/extractor.js';
import { type BandSpectra, type FeatureMeans, MAX_POINTS } from '../chart-data.js';
import type { WindowSet } from '../report-input.js';
import { evenIndices, pick } from './sample.js';

/** Mean of each column of row-major [rows, size] standardized features, mapped back through `scale`. */
function columnMeans(rows: Float32Array, size: number, scale?: { mean: number[]; std: number[] }): number[] {
  const n = rows.length / size;
  const sums = new Float64Array(size);
  for (let i = 0; i < rows.length; i++) sums[i % size] += rows[i];
  return Array.from(sums, (s, j) => {
    const z = n ? s / n : 0;
    return scale ? z * scale.std[j] + scale.mean[j] : z;
  });
}

/** ln(power) -> dB. */
const DB_PER_NEPER_POWER = 10 / Math.LN10;

/**
 * The spectrum feature of each channel, averaged over normal and over anomalous windows: band powers in dB
 * re the channel's training variance (the mean of log powers, i.e. the geometric mean power). Without a
 * spectrum feature: the mean standardized feature vectors instead.
 */
export function spectra(
  holdout: WindowSet,
  anomalous: WindowSet,
  extractor: FeatureExtractor,
): BandSpectra | FeatureMeans {
  const { spec, normalization, groups, size } = extractor;
  const scale = normalization && { mean: normalization.featureMean, std: normalization.featureStd };
  const bandGroups = groups.filter((g) => g.kind === 'spectrum');
  if (!spec.spectrum || bandGroups.length === 0 || !scale) {
    const indices = evenIndices(size, MAX_POINTS);
    return {
      kind: 'features',
      labels: indices.map((i) => extractor.labels[i]),
      normal: pick(columnMeans(holdout.features, size), indices),
      anomalous: pick(columnMeans(anomalous.features, size), indices),
    };
  }
  const normal = columnMeans(holdout.features, size, scale);
  const faulty = columnMeans(anomalous.features, size, scale);
  const bands = bandGroups[0].end - bandGroups[0].start;
  const logFrequency = spec.spectrum.scale === 'log';
  const frequency = Array.from({ length: bands }, (_, b) => {
    const [lo, hi] = frequencyOfBand(spec, b);
    return logFrequency && lo > 0 ? Math.sqrt(lo * hi) : (lo + hi) / 2;
  });
  const db = (values: number[], start: number, end: number) =>
    values.slice(start, end).map((v) => v * DB_PER_NEPER_POWER);
  return {
    kind: 'bands',
    frequency,
    logFrequency,
    channels: bandGroups.map((g) => ({
      name: extractor.channelNames[g.channel],
      normal: db(normal, g.start, g.end),
      anomalous: db(faulty, g.start, g.end),
    })),
  };
}
