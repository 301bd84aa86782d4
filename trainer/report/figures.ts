import type { ModelVariant } from '../../shared/bundle/manifest.js';
import type { FeatureExtractor } from '../../shared/features/extractor.js';
import type { VariantReport } from '../calibration/calibrate-variants.js';
import type { TrainingSummary } from '../summary.js';
import type { Color } from './canvas.js';
import { barChart, histogram, lineChart, PALETTE, scatter } from './charts.js';

export interface ReportData {
  extractor: FeatureExtractor;
  holdout: Float32Array;
  holdoutRecon: Float32Array;
  scores: Record<ModelVariant, VariantReport>;
}

export interface Figure {
  file: string;
  title: string;
  caption: string;
  png: Buffer;
}

const GROUP_COLORS: Color[] = [
  PALETTE.blue,
  PALETTE.orange,
  PALETTE.green,
  PALETTE.red,
  PALETTE.purple,
  PALETTE.brown,
  PALETTE.pink,
  PALETTE.olive,
];

/** Mean squared reconstruction error of each feature value over the holdout windows. */
export function featureErrors(input: Float32Array, recon: Float32Array, size: number): number[] {
  const rows = input.length / size;
  const err = new Array<number>(size).fill(0);
  for (let i = 0; i < input.length; i++) err[i % size] += (input[i] - recon[i]) ** 2 / rows;
  return err;
}

export function makeFigures(summary: TrainingSummary, data: ReportData): Figure[] {
  const { fp32, int8 } = data.scores;
  const perFeature = featureErrors(data.holdout, data.holdoutRecon, data.extractor.size);
  const groups = data.extractor.groups;
  const perGroup = groups.map(
    (g) => perFeature.slice(g.start, g.end).reduce((a, b) => a + b, 0) / (g.end - g.start),
  );
  const featureColors = perFeature.map(
    (_, i) => GROUP_COLORS[groups.findIndex((g) => i >= g.start && i < g.end) % GROUP_COLORS.length],
  );
  return [
    {
      file: 'loss.png',
      title: 'Training and validation loss',
      caption: `Blue: training loss, orange: validation loss (reconstruction MSE), per epoch, log scale. Grey: epoch ${summary.model.bestEpoch}, whose weights were kept.`,
      png: lineChart(
        [
          { values: summary.model.loss, color: PALETTE.blue },
          { values: summary.model.valLoss, color: PALETTE.orange },
        ],
        summary.model.bestEpoch,
      ).toPng(),
    },
    {
      file: 'scores.png',
      title: 'Window scores and thresholds',
      caption:
        'Blue bars: fp32 scores of held-out normal windows (share per bin). Orange line: synthetic anomalous windows. ' +
        'Red: fp32 threshold, green: int8 threshold. Log x axis.',
      png: histogram(
        [
          { values: Array.from(fp32.scores.holdout), color: PALETTE.blue },
          { values: Array.from(fp32.scores.anomalous), color: PALETTE.orange },
        ],
        [
          { x: fp32.calibration.threshold, color: PALETTE.red },
          { x: int8.calibration.threshold, color: PALETTE.green },
        ],
      ).toPng(),
    },
    {
      file: 'group-error.png',
      title: 'Reconstruction error per channel and feature group',
      caption: `Mean squared error per value on held-out normal windows, one bar per group, left to right: ${groups.map((g) => g.name).join(', ')}.`,
      png: barChart(perGroup, GROUP_COLORS).toPng(),
    },
    {
      file: 'feature-error.png',
      title: 'Reconstruction error per feature value (bands, samples, statistics)',
      caption:
        'Mean squared error of each value of the feature vector on held-out normal windows, in vector order; colour = group.',
      png: barChart(perFeature, featureColors).toPng(),
    },
    {
      file: 'int8-vs-fp32.png',
      title: 'int8 vs fp32 window scores',
      caption: `Each dot is one window scored by both variants (log-log); grey: y = x. Blue: held-out normal (Spearman ${summary.int8.spearmanHoldout.toFixed(5)}), orange: synthetic anomalous (Spearman ${summary.int8.spearmanAnomalous.toFixed(5)}).`,
      png: scatter([
        { x: Array.from(fp32.scores.holdout), y: Array.from(int8.scores.holdout), color: PALETTE.blue },
        { x: Array.from(fp32.scores.anomalous), y: Array.from(int8.scores.anomalous), color: PALETTE.orange },
      ]).toPng(),
    },
  ];
}
