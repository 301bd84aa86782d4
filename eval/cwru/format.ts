import type { CwruResult } from './bench.js';

/** Per-record table, int8 and fp32 side by side (markdown). */
export function cwruTable(result: CwruResult): string[] {
  const { int8, fp32 } = result.variants;
  const base = int8 ?? fp32;
  if (!base) return [];
  const cell = (v: typeof int8, i: number) => {
    const r = v?.rows[i];
    if (!r) return '- | -';
    const alert = r.alerts > 0 ? `yes (${r.alerts}, first at ${r.firstAlertS?.toFixed(3)} s)` : 'no';
    return `${(r.flaggedShare * 100).toFixed(2)} % (${r.flagged}/${r.windows}) | ${alert}`;
  };
  const lines = [
    '| record | label | fault | size (in) | scored part | int8 flagged | int8 alert | fp32 flagged | fp32 alert | score / threshold, int8: median, max |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  base.rows.forEach((r, i) => {
    lines.push(
      `| ${r.id} | ${r.label} | ${r.fault} | ${r.diameterIn || '-'} | ${r.part} | ${cell(int8, i)} | ${cell(fp32, i)} | ${(int8 ?? base).rows[i].medianRatio.toFixed(2)}, ${(int8 ?? base).rows[i].maxRatio.toFixed(2)} |`,
    );
  });
  return lines;
}

export function cwruVerdict(result: CwruResult): string[] {
  return Object.entries(result.variants).map(([v, r]) => {
    if (!r) return '';
    const normal = r.rows[0];
    const missed = r.rows.filter((x) => x.label === 'fault' && x.alerts === 0).map((x) => x.id);
    return (
      `${v}: threshold ${r.threshold.toPrecision(4)}; held-out normal windows flagged ${(normal.flaggedShare * 100).toFixed(2)} % ` +
      `(target <= 0.5 %), alerts on normal ${normal.alerts}; fault records with an alert ` +
      `${r.rows.length - 1 - missed.length}/${r.rows.length - 1}${missed.length ? ` (missed: ${missed.join(', ')})` : ''}; ` +
      `target ${r.targetMet ? 'met' : 'NOT met'}`
    );
  });
}
