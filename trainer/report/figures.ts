import type { TrainingSummary } from '../summary.js';
import type { ChartId, ReportCharts } from './chart-data.js';

/** A chart's frame in the page: the page script draws into it; the title and caption are plain HTML. */
export interface Figure {
  id: ChartId;
  title: string;
  /** One sentence: how to read the chart. */
  caption: string;
  /** Shown instead of a chart when there is nothing to draw (pca has no loss curve). */
  note?: string;
}

const fixed = (v: number, digits: number) => (Number.isFinite(v) ? v.toFixed(digits) : String(v));

export function figures(summary: TrainingSummary, charts: ReportCharts, targetFar: number): Figure[] {
  const { model, int8 } = summary;
  const spectraCaption =
    charts.spectra.kind === 'bands'
      ? 'Solid lines are each channel’s mean band power over held-out normal windows, dashed lines over the synthetic anomalies: where a dashed line lies above its solid one, the anomalies put energy into that band.'
      : 'Each point is the mean standardized value of one feature (0 is the training mean, 1 one training standard deviation): where the anomalies’ line leaves the normal one, that feature carries the difference.';
  return [
    {
      id: 'loss',
      title: 'Training and validation loss',
      caption: `Both lines are the mean squared reconstruction error per epoch (log scale): validation loss that stops falling while training loss still falls is overfitting, and the dotted line marks epoch ${model.bestEpoch}, whose weights were kept.`,
      note:
        charts.loss === null
          ? `pca is fitted in closed form, so there are no epochs and no loss curve: training loss ${fixed(model.loss[0], 5)}, validation loss ${fixed(model.valLoss[0], 5)}.`
          : undefined,
    },
    {
      id: 'scores',
      title: 'Score distributions and thresholds',
      caption: `Each step is the share of windows whose score falls in that bin (log scale): held-out normal windows should lie left of the threshold lines and synthetic anomalies right of them; each variant's line leaves at most ${+(targetFar * 100).toPrecision(3)} % of the normal windows to its right (the target false-alarm rate).`,
    },
    {
      id: 'int8',
      title: 'int8 vs fp32 window scores',
      caption: `Each dot is one window scored by both variants (log-log): dots on the grey y = x line mean int8 scores like fp32 (Spearman ${fixed(int8.spearmanHoldout, 5)} on normal, ${fixed(int8.spearmanAnomalous, 5)} on anomalous windows).`,
    },
    {
      id: 'groupError',
      title: 'Reconstruction error per channel and feature group',
      caption:
        'Bar height is the mean squared reconstruction error per value of each group (log scale): the groups where the anomalies’ bars rise most above the normal ones are those an alert names as its top groups.',
    },
    {
      id: 'latent',
      title: 'Latent space map',
      caption: `Each point is one window’s ${charts.latent.bottleneck}-wide bottleneck code${charts.latent.bottleneck > 2 ? ', projected onto the two principal axes of the normal codes,' : ''} coloured by its fp32 score relative to the threshold: normal windows (circles) form the region the model learned, and anomalies (triangles) far from it or in red score above the threshold.`,
    },
    {
      id: 'spectra',
      title:
        charts.spectra.kind === 'bands' ? 'Normal vs anomalous spectra' : 'Normal vs anomalous feature means',
      caption: spectraCaption,
    },
  ];
}
