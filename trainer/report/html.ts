import type { Manifest } from '../../shared/bundle/manifest.js';
import type { TrainingSummary } from '../summary.js';
import type { PageAssets } from './assets.js';
import type { ReportCharts } from './chart-data.js';
import { escapeHtml, scriptJson } from './escape.js';
import type { Figure } from './figures.js';
import { summaryTables } from './tables.js';

/** Enough for any chart; the page stays small however long the holdout was. */
const SIGNIFICANT_DIGITS = 5;

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}
table.summary{border-collapse:collapse;margin:.5em 0 1.5em}
.summary th,.summary td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
.summary th{background:#f6f6f6;font-weight:600;width:34%}
.u-legend{font-size:13px}#fig-latent .u-marker{display:none}
figure{margin:2em 0}figure h3{margin:0 0 .3em}figcaption{color:#555;font-size:13px;margin-top:.3em}
.chart{min-height:40px}.note{background:#f4f6fa;border:1px solid #d8dee8;padding:.6em 1em}
.warn{background:#fff4e0;border:1px solid #f0c080;padding:.5em 1em}
.colorbar{display:flex;align-items:center;gap:.5em;font-size:12px;color:#444;margin:.2em 0 0 60px}
.colorbar .ramp{width:260px;height:10px;border:1px solid #ccc}
`;

function figureHtml(f: Figure): string {
  const body = f.note
    ? `<p class="note">${escapeHtml(f.note)}</p>`
    : `<div class="chart" data-chart="${f.id}" role="img" aria-label="${escapeHtml(f.title)}"></div>` +
      `<figcaption>${escapeHtml(f.caption)}</figcaption>`;
  return `<figure id="fig-${f.id}"><h3>${escapeHtml(f.title)}</h3>${body}</figure>`;
}

/**
 * report.html: one file that opens offline. uPlot, its CSS and the page script are inlined, the chart data
 * is a JSON blob the script reads; the tables are plain HTML, readable without JavaScript.
 */
export function renderReport(
  m: Manifest,
  s: TrainingSummary,
  charts: ReportCharts,
  figs: Figure[],
  assets: PageAssets,
): string {
  const warnings = s.warnings.length
    ? `<div class="warn"><b>Warnings</b><ul>${s.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul></div>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>thrum bundle ${escapeHtml(m.bundleId)}</title>
<style>${assets.uplotCss}</style>
<style>${STYLE}</style>
</head><body>
<h1>thrum model bundle</h1>
<p>${escapeHtml(m.bundleId)}, created ${escapeHtml(m.createdAt)}</p>
${warnings}
${summaryTables(m, s)}
<h2>Charts</h2>
<noscript><p class="note">The charts are drawn by JavaScript, which is off; the tables above do not need it.</p></noscript>
${figs.map(figureHtml).join('\n')}
<script type="application/json" id="report-data">${scriptJson(charts, SIGNIFICANT_DIGITS)}</script>
<script>${assets.uplotJs}</script>
<script>${assets.chartsJs}</script>
</body></html>
`;
}
