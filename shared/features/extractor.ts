import { ThrumError } from '../errors.js';
import { slidingWindows, windowCount } from '../windowing.js';
import { defaultChannelNames, featureLayout } from './layout.js';
import { type FeatureGroup, type FeatureSpec, featureSpecSchema, type Normalization } from './spec.js';

export { bandOf, frequencyOfBand } from './bands.js';

/**
 * Smallest std kept by fitNormalization, relative to the mean: std' = max(std, 1e-6·|mean|), and 1 when both
 * are 0 (an all-zero channel or feature is left unscaled). It only bites on (near-)constant values.
 */
export const STD_FLOOR_RELATIVE = 1e-6;

export function flooredStd(std: number, mean: number): number {
  const floor = STD_FLOOR_RELATIVE * Math.abs(mean);
  if (std > floor) return std;
  return floor > 0 ? floor : 1;
}

function parseSpec(spec: FeatureSpec): FeatureSpec {
  const parsed = featureSpecSchema.safeParse(spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ThrumError('BAD_USAGE', `feature spec: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

function checkStats(field: string, values: readonly number[], length: number, positive: boolean): void {
  if (values.length !== length) {
    throw new ThrumError(
      'BAD_BUNDLE',
      `normalization.${field} has ${values.length} values, the feature spec needs ${length}: ` +
        'the normalization does not belong to this feature spec (refit it or use the matching bundle)',
    );
  }
  const bad = values.findIndex((v) => !Number.isFinite(v) || (positive && v <= 0));
  if (bad >= 0) {
    throw new ThrumError(
      'BAD_BUNDLE',
      `normalization.${field}[${bad}] is ${values[bad]}: expected a finite${positive ? ' positive' : ''} number`,
    );
  }
}

/** Computes the feature vector of one window; the same code runs in the trainer and on the device. */
export class FeatureExtractor {
  readonly size: number = 0;
  readonly groups: FeatureGroup[] = [];
  /** One name per value, e.g. `x/spectrum.b3` (see layout.ts). */
  readonly labels: readonly string[];
  readonly channelNames: readonly string[];
  private readonly parsed: FeatureSpec;
  private readonly computers: ReturnType<typeof featureLayout>['computers'];
  private readonly channelMean: Float64Array;
  private readonly channelStd: Float64Array;
  private readonly featureMean: Float64Array | undefined;
  private readonly featureStd: Float64Array | undefined;
  /** Channel-standardized window, channel-major, and one view per channel into it. */
  private readonly channelData: Float64Array;
  private readonly channelViews: Float64Array[];
  private readonly features: Float64Array;

  /** `channelNames` name the groups (`<name>/<kind>`); default `ch0`, `ch1`, … */
  constructor(
    readonly spec: FeatureSpec,
    readonly normalization?: Normalization,
    channelNames?: readonly string[],
  ) {
    this.parsed = parseSpec(spec);
    const { channels, window } = this.parsed;
    this.channelNames = [...(channelNames ?? defaultChannelNames(channels))];
    const layout = featureLayout(this.parsed, this.channelNames);
    this.size = layout.size;
    this.groups = layout.groups;
    this.labels = layout.labels;
    this.computers = layout.computers;

    this.channelMean = new Float64Array(channels);
    this.channelStd = new Float64Array(channels).fill(1);
    if (normalization) {
      checkStats('channelMean', normalization.channelMean, channels, false);
      checkStats('channelStd', normalization.channelStd, channels, true);
      checkStats('featureMean', normalization.featureMean, this.size, false);
      checkStats('featureStd', normalization.featureStd, this.size, true);
      this.channelMean.set(normalization.channelMean);
      this.channelStd.set(normalization.channelStd);
      this.featureMean = Float64Array.from(normalization.featureMean);
      this.featureStd = Float64Array.from(normalization.featureStd);
    }

    this.channelData = new Float64Array(channels * window);
    this.channelViews = Array.from({ length: channels }, (_, c) =>
      this.channelData.subarray(c * window, (c + 1) * window),
    );
    this.features = new Float64Array(this.size);
  }

  /**
   * `window`: spec.window * spec.channels interleaved samples. Writes `size` values into out[offset...],
   * standardized with the normalization when one was given (channel stats before features, feature stats
   * after). Allocates nothing per call.
   */
  extract(window: Float32Array, out: Float32Array, offset = 0): void {
    if (offset < 0 || offset + this.size > out.length) {
      throw new RangeError(
        `FeatureExtractor.extract: out has ${out.length} values, needs ${offset + this.size}`,
      );
    }
    const features = this.computeFeatures(window);
    const mean = this.featureMean;
    const std = this.featureStd;
    if (mean && std) {
      for (let j = 0; j < this.size; j++) out[offset + j] = (features[j] - mean[j]) / std[j];
    } else {
      out.set(features, offset);
    }
  }

  /**
   * Like extract() but skips the feature standardization and keeps float64: what fitNormalization fits the
   * feature statistics on. Writes `size` values into out[offset...]; allocates nothing.
   */
  extractUnscaled(window: Float32Array, out: Float64Array, offset = 0): void {
    if (offset < 0 || offset + this.size > out.length) {
      throw new RangeError(
        `FeatureExtractor.extractUnscaled: out has ${out.length} values, needs ${offset + this.size}`,
      );
    }
    out.set(this.computeFeatures(window), offset);
  }

  private computeFeatures(window: Float32Array): Float64Array {
    const { channels, window: length } = this.parsed;
    if (window.length !== channels * length) {
      throw new RangeError(
        `FeatureExtractor: window has ${window.length} values, expected ${length} samples × ${channels} channels`,
      );
    }
    const { channelData, channelMean, channelStd } = this;
    for (let c = 0; c < channels; c++) {
      const m = channelMean[c];
      const s = channelStd[c];
      const base = c * length;
      for (let i = 0; i < length; i++) channelData[base + i] = (window[i * channels + c] - m) / s;
    }
    let g = 0;
    for (const computer of this.computers) {
      for (let c = 0; c < channels; c++) {
        computer.compute(this.channelViews[c], this.features, this.groups[g].start);
        g++;
      }
    }
    return this.features;
  }
}

export interface FitOptions {
  /** Called after each recording's windows with windows done so far and the total. */
  onProgress?: (windowsDone: number, windowsTotal: number) => void;
}

/**
 * Fits normalization on training recordings (each interleaved, spec.channels wide): channel mean/std over all
 * samples, then feature mean/std over all windows (hop from the spec). Zero std is replaced by a floor.
 *
 * Both stds are population stds (divide by n), floored by flooredStd(). Accumulated in float64 (two-pass
 * for channels, Welford for features), so large offsets do not cost precision.
 */
export function fitNormalization(
  spec: FeatureSpec,
  recordings: Float32Array[],
  options: FitOptions = {},
): Normalization {
  const parsed = parseSpec(spec);
  const { channels, window } = parsed;
  recordings.forEach((rec, i) => {
    if (rec.length % channels !== 0) {
      throw new ThrumError(
        'BAD_DATA',
        `recording ${i}: ${rec.length} values is not a whole number of ${channels}-channel samples`,
      );
    }
  });

  const channelMean = new Array<number>(channels).fill(0);
  const channelStd = new Array<number>(channels).fill(0);
  let samples = 0;
  for (const rec of recordings) {
    for (let i = 0; i < rec.length; i++) channelMean[i % channels] += rec[i];
    samples += rec.length / channels;
  }
  const longest = Math.max(0, ...recordings.map((r) => r.length / channels));
  if (longest < window) {
    throw new ThrumError(
      'BAD_DATA',
      `normalization needs at least one full window of ${window} samples per channel; the longest of ` +
        `${recordings.length} recording(s) has ${longest}: give longer recordings or a shorter window`,
    );
  }
  for (let c = 0; c < channels; c++) channelMean[c] /= samples;
  for (const rec of recordings) {
    for (let i = 0; i < rec.length; i++) {
      const d = rec[i] - channelMean[i % channels];
      channelStd[i % channels] += d * d;
    }
  }
  for (let c = 0; c < channels; c++) {
    channelStd[c] = flooredStd(Math.sqrt(channelStd[c] / samples), channelMean[c]);
  }

  const probe = new FeatureExtractor(parsed);
  const extractor = new FeatureExtractor(parsed, {
    channelMean,
    channelStd,
    featureMean: new Array<number>(probe.size).fill(0),
    featureStd: new Array<number>(probe.size).fill(1),
  });
  const size = extractor.size;
  const mean = new Float64Array(size);
  const m2 = new Float64Array(size);
  const values = new Float64Array(size);
  const total = recordings.reduce((n, r) => n + windowCount(r.length / channels, parsed), 0);
  let count = 0;
  for (const rec of recordings) {
    for (const { view } of slidingWindows(rec, parsed)) {
      extractor.extractUnscaled(view, values);
      count++;
      for (let j = 0; j < size; j++) {
        const delta = values[j] - mean[j];
        mean[j] += delta / count;
        m2[j] += delta * (values[j] - mean[j]);
      }
    }
    options.onProgress?.(count, total);
  }
  const featureMean = Array.from(mean);
  const featureStd = featureMean.map((m, j) => flooredStd(Math.sqrt(m2[j] / count), m));
  return { channelMean, channelStd, featureMean, featureStd };
}
