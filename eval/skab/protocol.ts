import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelVariant } from '../../shared/bundle/manifest.js';
import { ThrumError } from '../../shared/errors.js';
import type { BinaryMetrics } from '../metrics.js';
import { type EvalSummary, type LabelledRecording, rowView, summarize } from '../summarize.js';
import { SKAB_CONFIG, type SkabConfig } from './config.js';
import { SKAB_TRAIN_ROWS, type SkabEntry, skabEntries } from './dataset.js';
import { runSkabFile, type SkabFileResult } from './run-file.js';

export interface SkabProtocolOptions {
  /** The SKAB folder (manifest.csv + data/). */
  dir: string;
  config?: SkabConfig;
  /** Variants to evaluate (each file's bundle is trained once). Default ['int8']. */
  variants?: readonly ModelVariant[];
  /** Subset of files, as named in --predictions (e.g. `valve1/0.csv`); default all 34. */
  files?: readonly string[];
  /** Keep each file's bundle under this folder (`<dir>/<group>-<n>/`); default: temporary, deleted. */
  keepBundles?: string;
  /** One line per finished file. */
  onProgress?: (line: string) => void;
}

/** Pooled figures of one variant: the SKAB point-level metrics plus window-level ones and ROC-AUC. */
export interface SkabVariantResult {
  /** The official outlier-detection figures (rows of all test sets pooled, detector state as prediction). */
  pooled: BinaryMetrics & { rocAuc?: number };
  summary: EvalSummary;
  perFile: { file: string; f1: number; far: number; mar: number; rocAuc?: number; threshold: number }[];
}

export interface SkabProtocolResult {
  config: SkabConfig;
  files: SkabFileResult[];
  variants: Partial<Record<ModelVariant, SkabVariantResult>>;
  testRows: number;
  durationMs: number;
}

function pickEntries(dir: string, files?: readonly string[]): SkabEntry[] {
  const all = skabEntries(dir);
  if (!files?.length) return all;
  return files.map((name) => {
    const entry = all.find((e) => e.file === name || e.file === `${name}.csv`);
    if (!entry) {
      throw new ThrumError(
        'BAD_USAGE',
        `SKAB has no labelled file '${name}'; names look like valve1/0.csv (see ${join(dir, 'manifest.csv')})`,
      );
    }
    return entry;
  });
}

const fmt = (m: BinaryMetrics) => `F1 ${m.f1.toFixed(3)} FAR ${m.far.toFixed(1)} % MAR ${m.mar.toFixed(1)} %`;

/**
 * The official SKAB outlier-detection protocol, streamed through the device path: per labelled file, train on
 * rows 0-399, threshold from those rows, stream the whole file, predict each test row (400...) from the
 * detector state after the latest window ending at or before it. Test rows of all files are pooled into one
 * confusion matrix.
 */
export async function runSkabProtocol(options: SkabProtocolOptions): Promise<SkabProtocolResult> {
  const config = options.config ?? SKAB_CONFIG;
  const variants = options.variants ?? ['int8'];
  const entries = pickEntries(options.dir, options.files);
  const started = performance.now();
  const scratch = options.keepBundles ? undefined : mkdtempSync(join(tmpdir(), 'thrum-skab-'));
  const files: SkabFileResult[] = [];
  try {
    for (const [i, entry] of entries.entries()) {
      const name = entry.file.replace(/\.csv$/, '').replace('/', '-');
      const bundleDir = join(options.keepBundles ?? (scratch as string), name);
      mkdirSync(bundleDir, { recursive: true });
      const result = await runSkabFile(options.dir, entry, config, variants, bundleDir);
      files.push(result);
      const v = variants[0];
      const one = summarize([labelled(result, v)]).point?.detector;
      options.onProgress?.(
        `[${String(i + 1).padStart(String(entries.length).length)}/${entries.length}] ${entry.file.padEnd(13)} ` +
          `trained in ${(result.trainMs / 1000).toFixed(1)} s; ${v}: ${one ? fmt(one) : '-'}`,
      );
    }
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
  const out: SkabProtocolResult['variants'] = {};
  for (const v of variants) out[v] = variantResult(files, v);
  return {
    config,
    files,
    variants: out,
    testRows: files.reduce((n, f) => n + f.entry.rows - SKAB_TRAIN_ROWS, 0),
    durationMs: performance.now() - started,
  };
}

function labelled(f: SkabFileResult, v: ModelVariant): LabelledRecording {
  const run = f.variants[v];
  if (!run) throw new Error(`SKAB: ${f.entry.file} was not scored with ${v}`);
  return { recording: run.recording, labels: f.labels, fromRow: SKAB_TRAIN_ROWS };
}

function variantResult(files: SkabFileResult[], v: ModelVariant): SkabVariantResult {
  const summary = summarize(files.map((f) => labelled(f, v)));
  const point = summary.point as NonNullable<EvalSummary['point']>;
  return {
    pooled: { ...point.detector, rocAuc: point.rocAuc },
    summary,
    perFile: files.map((f) => {
      const p = summarize([labelled(f, v)]).point as NonNullable<EvalSummary['point']>;
      return {
        file: f.entry.file,
        f1: p.detector.f1,
        far: p.detector.far,
        mar: p.detector.mar,
        rocAuc: p.rocAuc,
        threshold: f.variants[v]?.threshold as number,
      };
    }),
  };
}

/** `file,row,pred` lines for every test row (row = 0-based data row of the file), with a header line. */
export function predictionLines(result: SkabProtocolResult, v: ModelVariant): string[] {
  const lines = ['file,row,pred'];
  for (const f of result.files) {
    const run = f.variants[v];
    if (!run) throw new Error(`SKAB: ${f.entry.file} was not scored with ${v}`);
    const { predictions } = rowView(run.recording);
    for (let row = SKAB_TRAIN_ROWS; row < f.entry.rows; row++) {
      lines.push(`${f.entry.file},${row},${predictions[row]}`);
    }
  }
  return lines;
}
