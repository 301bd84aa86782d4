import type { ModelVariant } from '../../shared/bundle/manifest.js';

/**
 * The JSON blob report.html carries and page/charts.js draws: one entry per chart, plain numbers only.
 * Series are capped at MAX_POINTS points so a long holdout still gives a small page.
 */
export const MAX_POINTS = 1000;

/** Training and validation loss per epoch; null for pca (closed form, no epochs). */
export interface LossChart {
  epoch: number[];
  train: number[];
  val: number[];
  /** The epoch whose weights were kept. */
  bestEpoch: number;
}

export interface HistogramSeries {
  variant: ModelVariant;
  windows: 'normal' | 'anomalous';
  /** Share of the windows in each bin, in %. */
  share: number[];
}

/** Score distributions on log-spaced bins, with each variant's threshold. */
export interface ScoreHistogram {
  /** bins + 1 ascending edges (scores, log-spaced). */
  edges: number[];
  series: HistogramSeries[];
  thresholds: Record<ModelVariant, number>;
}

export interface Points {
  x: number[];
  y: number[];
}

/** The same windows scored by both variants: x fp32, y int8. */
export interface Int8Scatter {
  normal: Points;
  anomalous: Points;
  spearman: { normal: number; anomalous: number };
}

/** Mean squared reconstruction error per value, per feature group (e.g. x/spectrum). */
export interface GroupError {
  groups: string[];
  normal: number[];
  anomalous: number[];
}

export interface ScoredPoints extends Points {
  /** fp32 score of each point's window. */
  score: number[];
}

/** Bottleneck codes in 2-D (projected by PCA when the bottleneck is wider than 2), coloured by score. */
export interface LatentMap {
  bottleneck: number;
  /** Axis labels, e.g. 'PC1 of the codes (71 % of their variance)'. */
  axes: [string, string];
  /** A 1-wide bottleneck has no second axis: y is then the window's score, on a log scale. */
  yIsScore: boolean;
  /** fp32 threshold: the colour scale is the score relative to it. */
  threshold: number;
  normal: ScoredPoints;
  anomalous: ScoredPoints;
}

/** Mean band power per channel of normal vs anomalous windows (the spectrum feature, un-standardized). */
export interface BandSpectra {
  kind: 'bands';
  /** Band centres in Hz. */
  frequency: number[];
  logFrequency: boolean;
  channels: { name: string; normal: number[]; anomalous: number[] }[];
}

/** Without a spectrum feature: the mean standardized feature vector of normal vs anomalous windows. */
export interface FeatureMeans {
  kind: 'features';
  labels: string[];
  normal: number[];
  anomalous: number[];
}

export interface ReportCharts {
  loss: LossChart | null;
  scores: ScoreHistogram;
  int8: Int8Scatter;
  groupError: GroupError;
  latent: LatentMap;
  spectra: BandSpectra | FeatureMeans;
}

export type ChartId = keyof ReportCharts;
