import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '../../shared/bundle/manifest.js';
import type { TrainingSummary } from '../summary.js';
import { makeFigures, type ReportData } from './figures.js';
import { renderReport } from './html.js';

export type { ReportData } from './figures.js';

/** Writes the PNG plots and report.html (which embeds them, so it opens offline on its own). */
export async function writeReport(
  dir: string,
  manifest: Manifest,
  summary: TrainingSummary,
  data: ReportData,
): Promise<string[]> {
  const figures = makeFigures(summary, data);
  for (const f of figures) writeFileSync(join(dir, f.file), f.png);
  writeFileSync(join(dir, 'report.html'), renderReport(manifest, summary, figures));
  return ['report.html', ...figures.map((f) => f.file)];
}
