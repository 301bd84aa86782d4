import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pageAssets } from './assets.js';
import { buildCharts } from './build-charts.js';
import { figures } from './figures.js';
import { renderReport } from './html.js';
import type { ReportInput } from './report-input.js';

export type { ReportInput, WindowSet } from './report-input.js';

export const REPORT_FILE = 'report.html';

/** Writes report.html, the bundle's only report file; returns its name. */
export function writeReport(dir: string, input: ReportInput): string {
  const charts = buildCharts(input);
  const figs = figures(input.summary, charts, input.manifest.variants.fp32.targetFar);
  writeFileSync(
    join(dir, REPORT_FILE),
    renderReport(input.manifest, input.summary, charts, figs, pageAssets()),
  );
  return REPORT_FILE;
}
