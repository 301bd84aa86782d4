import type { ReportCharts } from './chart-data.js';
import { groupError } from './charts/group-error.js';
import { int8Scatter } from './charts/int8-scatter.js';
import { latentMap } from './charts/latent-map.js';
import { lossChart } from './charts/loss.js';
import { scoreHistogram } from './charts/score-histogram.js';
import { spectra } from './charts/spectra.js';
import type { ReportInput } from './report-input.js';

/** The data of every chart, reduced to what the page draws (binned, capped, projected). */
export function buildCharts(input: ReportInput): ReportCharts {
  const { manifest, summary, extractor, holdout, anomalous } = input;
  const thresholds = { fp32: manifest.variants.fp32.threshold, int8: manifest.variants.int8.threshold };
  return {
    loss: lossChart(summary.model),
    scores: scoreHistogram(holdout, anomalous, thresholds),
    int8: int8Scatter(holdout, anomalous, {
      normal: summary.int8.spearmanHoldout,
      anomalous: summary.int8.spearmanAnomalous,
    }),
    groupError: groupError(holdout, anomalous, extractor.groups, extractor.size),
    latent: latentMap(holdout, anomalous, manifest.model.layers.at(-1)!, thresholds.fp32),
    spectra: spectra(holdout, anomalous, extractor),
  };
}
