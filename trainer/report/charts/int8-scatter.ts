import { type Int8Scatter, MAX_POINTS, type Points } from '../chart-data.js';
import type { WindowSet } from '../report-input.js';
import { evenIndices, pick } from './sample.js';

function pairs(set: WindowSet): Points {
  const indices = evenIndices(set.scores.fp32.length, MAX_POINTS);
  return { x: pick(set.scores.fp32, indices), y: pick(set.scores.int8, indices) };
}

export function int8Scatter(
  holdout: WindowSet,
  anomalous: WindowSet,
  spearman: Int8Scatter['spearman'],
): Int8Scatter {
  return { normal: pairs(holdout), anomalous: pairs(anomalous), spearman };
}
