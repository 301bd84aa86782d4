import type { DetectorRule, ModelVariant } from '../../../shared/bundle/manifest.js';
import { detectorConfig } from '../../../shared/detector/config.js';
import type { ScoredWindow } from '../../../shared/detector/types.js';
import { decideWindows } from '../../decisions.js';
import { type BinaryMetrics, binaryMetrics, count, emptyConfusion } from '../../metrics.js';
import { mapToRows } from '../../row-mapping.js';
import { SKAB_TRAIN_ROWS } from '../../skab/dataset.js';
import { type QuantileRule, thresholdFromScores } from '../../threshold-rule.js';
import type { Fold } from './folds.js';
import type { CachedFile } from './score-cache.js';

/** Pooled point-level figures of one combination, per fold and over all files. */
export type FoldMetrics = Record<Fold | 'all', BinaryMetrics>;

/** A file's windows rebuilt as the detector sees them, and its training-slice scores. */
export interface PreparedFile {
  file: string;
  labels: Uint8Array;
  windows: ScoredWindow[];
  trainScores: Float64Array;
}

// The detector only reads p-value quantiles for reporting; the sweep never looks at events' p-values.
const REFERENCE = { probs: [0, 1], scores: [0, 1] };

export function prepare(files: readonly CachedFile[], variant: ModelVariant): PreparedFile[] {
  return files.map((f) => {
    const { end, score } = f.variants[variant];
    const windows = Array.from(end, (e, i) => ({
      sensorId: 0,
      startSample: 0,
      endSample: e,
      startTimeMs: 0,
      endTimeMs: 0,
      score: score[i],
      contributions: [],
    }));
    const trainScores = score.filter((_, i) => end[i] <= SKAB_TRAIN_ROWS);
    return { file: f.file, labels: f.labels, windows, trainScores };
  });
}

/** Runs the protocol's decision step (threshold rule, shared detector, row rule) on cached scores. */
export function evaluateCombo(
  files: readonly PreparedFile[],
  folds: ReadonlyMap<string, Fold>,
  threshold: QuantileRule,
  rule: DetectorRule,
): FoldMetrics {
  const c = { tune: emptyConfusion(), check: emptyConfusion(), all: emptyConfusion() };
  for (const f of files) {
    const config = detectorConfig(rule, {
      threshold: thresholdFromScores(f.trainScores, threshold),
      reference: REFERENCE,
    });
    const { raised } = decideWindows(config, f.windows);
    const predictions = mapToRows(f.windows, raised, f.labels.length, 0);
    const fold = folds.get(f.file) ?? 'check';
    for (let i = SKAB_TRAIN_ROWS; i < f.labels.length; i++) {
      const p = predictions[i] !== 0;
      const y = f.labels[i] === 1;
      count(c[fold], p, y);
      count(c.all, p, y);
    }
  }
  return { tune: binaryMetrics(c.tune), check: binaryMetrics(c.check), all: binaryMetrics(c.all) };
}
