import { describeDetectorRule } from '../shared/detector/describe.js';
import type { EvaluationReport } from './evaluate-files.js';
import type { BinaryMetrics } from './metrics.js';
import type { LevelMetrics } from './summarize.js';

const pct = (part: number, whole: number) => (whole > 0 ? ((100 * part) / whole).toFixed(2) : '0.00');
const auc = (x?: number) => (x === undefined ? '     -' : x.toFixed(4));
const row = (name: string, a: string, m: BinaryMetrics, what: string) =>
  `${name.padEnd(12)} ${a.padStart(7)}  ${m.f1.toFixed(3).padStart(6)}  ${m.far.toFixed(2).padStart(6)}  ${m.mar
    .toFixed(2)
    .padStart(6)}   ${what}`;

function levelLines(name: string, m: LevelMetrics): string[] {
  return [
    row(name, auc(m.rocAuc), m.detector, `detector state (${m.items} items, ${m.anomalous} anomalous)`),
    row('', '', m.flagged, 'score > threshold alone'),
  ];
}

/** The text `thrum eval --bundle ...` prints. */
export function formatReport(r: EvaluationReport, maxEvents = 20): string {
  const d = r.detector;
  const lines = [
    `bundle    ${r.bundle} (${r.bundleId}), ${r.variant}, threshold ${r.threshold.toPrecision(5)}`,
    `detector  ${describeDetectorRule(d)}`,
    ...r.files.map(
      (f) =>
        `data      ${f.file}: ${f.rows} rows, ${f.windows} windows, ${f.flagged} over threshold, ${f.alerts} alert(s)`,
    ),
    `windows   ${r.windows} scored, ${r.flagged} over the threshold (${pct(r.flagged, r.windows)} %), ` +
      `${r.alerts} alert(s) raised, raised state on ${r.raisedWindows} (${pct(r.raisedWindows, r.windows)} %)`,
  ];
  if (r.window && r.point) {
    lines.push(
      '',
      `level        ROC-AUC      F1   FAR %   MAR %   decision`,
      ...levelLines('window', r.window),
      ...levelLines('point', r.point),
      '',
      'window label = label of its last row; row i takes the decision of the latest window ending at or before it',
      '(rows before the first window: no alert, and no score for the ROC-AUC).',
    );
  } else {
    lines.push(
      '(no labels given: pass --labels COLUMN, --label-file FILE... or --label-all 0|1 for F1/FAR/MAR)',
    );
  }
  const raised = r.events.filter((e) => e.kind === 'raised');
  if (raised.length > 0) {
    lines.push('', `alerts (${raised.length}${raised.length > maxEvents ? `, first ${maxEvents}` : ''}):`);
    for (const e of raised.slice(0, maxEvents)) {
      const top = e.contributions.map((c) => `${c.group} ${(c.share * 100).toFixed(0)} %`).join(', ');
      lines.push(
        `  ${e.file} rows ${e.startRow}-${e.endRow}: score ${e.score.toPrecision(4)}, p ${e.pValue.toPrecision(2)}${top ? `; ${top}` : ''}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
