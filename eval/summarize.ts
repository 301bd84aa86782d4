import {
  type BinaryMetrics,
  binaryMetrics,
  type Confusion,
  count,
  emptyConfusion,
  rocAuc,
} from './metrics.js';
import { mapToRows } from './row-mapping.js';
import type { ScoredRecording } from './score-recording.js';

/** Metrics of one level (windows or rows): score ranking, and the two kinds of decision. */
export interface LevelMetrics {
  /** Items with a label (and, for rows, covered by a window). */
  items: number;
  anomalous: number;
  /** ROC-AUC of the scores (undefined when one class is absent). */
  rocAuc?: number;
  /** The detector's state (raised = 1) as the decision. */
  detector: BinaryMetrics;
  /** score > threshold of the window alone as the decision (no k-of-n, no hysteresis). */
  flagged: BinaryMetrics;
}

export interface EvalCounts {
  /** Windows evaluated. */
  windows: number;
  /** Of them, windows over the threshold. */
  flagged: number;
  /** Raised events decided on an evaluated window. */
  alerts: number;
  /** Windows after which the detector was raised. */
  raisedWindows: number;
}

export interface EvalSummary extends EvalCounts {
  window?: LevelMetrics;
  point?: LevelMetrics;
}

/** A scored recording with its per-row labels (optional) and the first row that counts (default 0). */
export interface LabelledRecording {
  recording: ScoredRecording;
  labels?: ArrayLike<number>;
  fromRow?: number;
}

/** Per-row values of one recording under the row-mapping rule (see row-mapping.ts). */
export interface RowView {
  /** Detector state after the latest window ending at or before the row (0 before the first window). */
  predictions: Float64Array;
  /** That window's score (NaN before the first window: the row is not covered). */
  scores: Float64Array;
  /** That window's score > threshold (0 before the first window). */
  flagged: Float64Array;
}

export function rowView(r: ScoredRecording): RowView {
  const scores = r.windows.map((w) => w.score);
  return {
    predictions: mapToRows(r.windows, r.decisions.raised, r.rows, 0),
    scores: mapToRows(r.windows, scores, r.rows, Number.NaN),
    flagged: mapToRows(r.windows, r.decisions.flagged, r.rows, 0),
  };
}

/** Pooled counts and, where labels exist, window- and point-level metrics over all recordings. */
export function summarize(items: readonly LabelledRecording[]): EvalSummary {
  const counts: EvalCounts = { windows: 0, flagged: 0, alerts: 0, raisedWindows: 0 };
  const win = new LevelAccumulator();
  const pt = new LevelAccumulator();
  const labelled = items.some((i) => i.labels);
  for (const { recording: r, labels, fromRow = 0 } of items) {
    if (labels && labels.length !== r.rows) {
      throw new RangeError(`${r.source}: ${labels.length} labels for ${r.rows} rows`);
    }
    r.windows.forEach((w, i) => {
      const last = w.endSample - 1;
      if (last < fromRow) return;
      counts.windows++;
      counts.flagged += r.decisions.flagged[i];
      counts.raisedWindows += r.decisions.raised[i];
      if (labels) win.add(w.score, r.decisions.raised[i], r.decisions.flagged[i], labels[last]);
    });
    counts.alerts += r.decisions.events.filter(
      (e) => e.kind === 'raised' && e.windowEnd.sample - 1 >= fromRow,
    ).length;
    if (labels) {
      const rows = rowView(r);
      for (let i = fromRow; i < r.rows; i++) {
        pt.add(rows.scores[i], rows.predictions[i], rows.flagged[i], labels[i]);
      }
    }
  }
  return labelled ? { ...counts, window: win.metrics(), point: pt.metrics() } : counts;
}

/** Pools decisions and scores of one level; NaN scores (rows no window covers yet) count for decisions only. */
class LevelAccumulator {
  private readonly detector: Confusion = emptyConfusion();
  private readonly flagged: Confusion = emptyConfusion();
  private readonly scores: number[] = [];
  private readonly scoreLabels: number[] = [];
  private anomalous = 0;
  private items = 0;

  add(score: number, raised: number, flagged: number, label: number): void {
    const y = label !== 0 ? 1 : 0;
    this.items++;
    this.anomalous += y;
    count(this.detector, raised !== 0, y === 1);
    count(this.flagged, flagged !== 0, y === 1);
    if (!Number.isNaN(score)) {
      this.scores.push(score);
      this.scoreLabels.push(y);
    }
  }

  metrics(): LevelMetrics {
    return {
      items: this.items,
      anomalous: this.anomalous,
      rocAuc: rocAuc(this.scores, this.scoreLabels),
      detector: binaryMetrics(this.detector),
      flagged: binaryMetrics(this.flagged),
    };
  }
}
