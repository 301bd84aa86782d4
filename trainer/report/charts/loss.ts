import type { TrainingSummary } from '../../summary.js';
import { type LossChart, MAX_POINTS } from '../chart-data.js';
import { evenIndices, pick } from './sample.js';

/** Loss per epoch (capped, the kept epoch always among the points); pca has no epochs, so no chart. */
export function lossChart(model: TrainingSummary['model']): LossChart | null {
  if (model.kind === 'pca') return null;
  const n = model.loss.length;
  const kept = new Set(evenIndices(n, MAX_POINTS));
  if (model.bestEpoch >= 1) kept.add(model.bestEpoch - 1);
  const indices = [...kept].sort((a, b) => a - b);
  return {
    epoch: indices.map((i) => i + 1),
    train: pick(model.loss, indices),
    val: pick(model.valLoss, indices),
    bestEpoch: model.bestEpoch,
  };
}
