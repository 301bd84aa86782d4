import { describe, expect, it } from 'vitest';
import { decideWindows } from '../../../eval/decisions.js';
import { binaryMetrics, confusionOf, rocAuc } from '../../../eval/metrics.js';
import type { ScoredRecording } from '../../../eval/score-recording.js';
import { rowView, summarize } from '../../../eval/summarize.js';
import { detectorConfig } from '../../../shared/detector/config.js';
import type { ScoredWindow } from '../../../shared/detector/types.js';

const reference = { probs: [0, 1], scores: [0, 10] };
const config = detectorConfig(
  { k: 2, n: 3, clearRatio: 0.8, minClearWindows: 2, cooldownWindows: 0 },
  { threshold: 1, reference },
);

/** Windows of 3 rows, hop 1, over `rows` rows: window w covers rows w..w+2 and has score scores[w]. */
function recording(scores: number[], rows: number): ScoredRecording {
  const windows: ScoredWindow[] = scores.map((score, w) => ({
    sensorId: 0,
    startSample: w,
    endSample: w + 3,
    startTimeMs: 0,
    endTimeMs: 0,
    score,
    contributions: [],
  }));
  return { source: 'r', rows, windows, decisions: decideWindows(config, windows) };
}

describe('summarize', () => {
  // rows 0..11; windows end at rows 2..11
  const scores = [0.1, 0.2, 0.3, 2, 3, 4, 0.2, 0.1, 2, 0.1];
  const labels = [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0];
  const rec = recording(scores, 12);

  it('counts windows, flagged windows and raised alerts', () => {
    const s = summarize([{ recording: rec }]);
    // Raised by window 4 (2 of the last 3 over), cleared by window 7 (2 below 0.8): raised after windows 4, 5, 6.
    expect(s).toEqual({ windows: 10, flagged: 4, alerts: 1, raisedWindows: 3 });
    expect(s.window).toBeUndefined();
  });

  it('labels a window by its last row and scores rows by the row rule', () => {
    const s = summarize([{ recording: rec, labels }]);
    const windowLabels = rec.windows.map((w) => labels[w.endSample - 1]);
    expect(s.window?.detector).toEqual(binaryMetrics(confusionOf(rec.decisions.raised, windowLabels)));
    expect(s.window?.flagged).toEqual(binaryMetrics(confusionOf(rec.decisions.flagged, windowLabels)));
    expect(s.window?.rocAuc).toBe(rocAuc(scores, windowLabels));
    const rows = rowView(rec);
    expect(s.point?.detector).toEqual(binaryMetrics(confusionOf(rows.predictions, labels)));
    // Rows 0 and 1 precede the first window: predicted normal, left out of the ROC-AUC.
    expect(s.point?.items).toBe(12);
    expect(s.point?.rocAuc).toBe(rocAuc(Array.from(rows.scores).slice(2), labels.slice(2)));
  });

  it('counts only rows and windows ending from fromRow on', () => {
    const s = summarize([{ recording: rec, labels, fromRow: 6 }]);
    expect(s.windows).toBe(6); // windows ending at rows 6..11
    expect(s.point?.items).toBe(6);
    const rows = rowView(rec);
    expect(s.point?.detector).toEqual(
      binaryMetrics(confusionOf(Array.from(rows.predictions).slice(6), labels.slice(6))),
    );
  });

  it('pools several recordings into one confusion matrix', () => {
    const other = recording([3, 3, 3, 0, 0, 0, 0], 9);
    const otherLabels = [1, 1, 1, 1, 1, 0, 0, 0, 0];
    const pooled = summarize([
      { recording: rec, labels },
      { recording: other, labels: otherLabels },
    ]);
    const a = summarize([{ recording: rec, labels }]).point?.detector;
    const b = summarize([{ recording: other, labels: otherLabels }]).point?.detector;
    expect(pooled.point?.detector.tp).toBe((a?.tp ?? 0) + (b?.tp ?? 0));
    expect(pooled.point?.detector.fp).toBe((a?.fp ?? 0) + (b?.fp ?? 0));
    expect(pooled.point?.detector.fn).toBe((a?.fn ?? 0) + (b?.fn ?? 0));
    expect(pooled.alerts).toBe(2);
  });

  it('refuses labels that do not match the row count', () => {
    expect(() => summarize([{ recording: rec, labels: [0, 1] }])).toThrow(/2 labels for 12 rows/);
  });
});
