import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundleRuntime as openEvalModel } from '../../../runtime/open-bundle.js';
import type { ScoredWindow } from '../../../shared/detector/types.js';
import { parseCsv } from '../../../trainer/loaders/csv.js';
import type { TrainOptions } from '../../../trainer/options.js';
import { trainBundle } from '../../../trainer/train.js';
import { CWRU_NORMAL_ID, CWRU_TRAIN } from '../../cwru/bench.js';
import { cwruRecords, loadCwru } from '../../cwru/dataset.js';
import { scoreRecording } from '../../score-recording.js';
import { SKAB_CONFIG } from '../../skab/config.js';
import {
  loadSkabFile,
  SKAB_CHANNELS,
  SKAB_SAMPLE_RATE,
  SKAB_TRAIN_ROWS,
  selectChannels,
  skabEntries,
} from '../../skab/dataset.js';

/**
 * One calibration/test pair of out-of-sample normal window scores: a threshold is set on `calibration` and its
 * false-alarm rate measured on `test`, which comes later in time. `m` = calibration windows.
 */
export interface Case {
  dataset: string;
  /**
   * `forward`: calibration before test in time (what a deployment does; drift included). `interleaved`:
   * alternating blocks of one stretch (drift averaged out: isolates how well the tail model extrapolates).
   */
  protocol: 'forward' | 'interleaved';
  m: number;
  calibration: Float64Array;
  test: Float64Array;
}

/** Trains a bundle on `trainRows` of the interleaved samples and scores the whole recording through runtime/ (int8). */
async function scoreAll(
  samples: Float32Array,
  channels: number,
  sampleRate: number,
  trainRows: number,
  options: Partial<TrainOptions>,
  source: string,
): Promise<ScoredWindow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'thrum-tail-study-'));
  try {
    await trainBundle({
      ...options,
      data: [{ samples: samples.subarray(0, trainRows * channels), channels, sampleRate, source }],
      out: dir,
      report: false,
      quiet: true,
    });
    const model = await openEvalModel(dir, { variant: 'int8' });
    try {
      return (await scoreRecording(model, samples, source)).windows;
    } finally {
      await model.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Scores of the windows lying entirely inside rows [from, to). */
const inRows = (w: ScoredWindow[], from: number, to: number) =>
  Float64Array.from(w.filter((x) => x.startSample >= from && x.endSample <= to).map((x) => x.score));

/** Non-overlapping calibration blocks of m windows from `region`, each paired with the same later test. */
function blocks(dataset: string, region: Float64Array, test: Float64Array, sizes: number[]): Case[] {
  const out: Case[] = [];
  for (const m of sizes) {
    for (let start = 0; start + m <= region.length; start += m) {
      out.push({ dataset, protocol: 'forward', m, calibration: region.slice(start, start + m), test });
    }
  }
  return out;
}

/** Even blocks of `block` windows calibrate, odd blocks test: one stretch, drift shared by both halves. */
export function interleave(dataset: string, scores: Float64Array, block: number): Case {
  const calibration: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < scores.length; i++)
    (Math.floor(i / block) % 2 === 0 ? calibration : test).push(scores[i]);
  return {
    dataset,
    protocol: 'interleaved',
    m: calibration.length,
    calibration: Float64Array.from(calibration),
    test: Float64Array.from(test),
  };
}

const INTERLEAVE_BLOCK = 50;

/**
 * SKAB, each labelled file: trained on rows 0-399 as the protocol does; calibration = the trainer's own holdout
 * (windows inside rows 320-399, the last 20 %); test = the windows from row 400 up to the first anomalous row.
 */
export async function skabFiles(dir: string): Promise<Case[]> {
  const names = SKAB_CHANNELS.filter((c) => SKAB_CONFIG.channels?.includes(c));
  const out: Case[] = [];
  for (const entry of skabEntries(dir)) {
    if (entry.anomalyInTrain || entry.anomalyStart <= SKAB_TRAIN_ROWS + 20) continue;
    const file = loadSkabFile(dir, entry);
    const samples = selectChannels(file.samples, names);
    const windows = await scoreAll(
      samples,
      names.length,
      SKAB_SAMPLE_RATE,
      SKAB_TRAIN_ROWS,
      { ...SKAB_CONFIG.train, detector: SKAB_CONFIG.detector },
      entry.file,
    );
    out.push({
      dataset: 'SKAB files',
      protocol: 'forward',
      m: 0,
      calibration: inRows(windows, 0.8 * SKAB_TRAIN_ROWS, SKAB_TRAIN_ROWS),
      test: inRows(windows, SKAB_TRAIN_ROWS, entry.anomalyStart),
    });
    out.push({
      ...interleave('SKAB files', inRows(windows, 0.8 * SKAB_TRAIN_ROWS, entry.anomalyStart), 20),
      m: 0,
    });
  }
  const m = (p: Case['protocol']) => out.find((c) => c.protocol === p)?.calibration.length ?? 0;
  return out.map((c) => ({ ...c, m: c.protocol === 'forward' ? m('forward') : -1 }));
}

/** SKAB anomaly-free.csv (9405 rows): train rows 0-1999, calibrate in 2000-3999, test 4000-9404. */
export async function skabAnomalyFree(dir: string): Promise<Case[]> {
  const path = join(dir, 'data', 'anomaly-free', 'anomaly-free.csv');
  const names = SKAB_CHANNELS.filter((c) => SKAB_CONFIG.channels?.includes(c));
  const rec = parseCsv(readFileSync(path, 'utf8'), path, { columns: names, sampleRate: SKAB_SAMPLE_RATE });
  const w = await scoreAll(rec.samples, names.length, 1, 2000, SKAB_CONFIG.train, 'anomaly-free.csv');
  return [
    ...blocks('SKAB anomaly-free', inRows(w, 2000, 4000), inRows(w, 4000, 9405), [50, 200, 1000]),
    interleave('SKAB anomaly-free', inRows(w, 2000, 9405), INTERLEAVE_BLOCK),
  ];
}

/**
 * IMS run-to-failure trends (one row per 10 min): trained on the first rows with the trainer's slow-sensor
 * defaults (window 16, hop 1, raw) and pca; calibration and test both in the healthy first half of the run.
 */
export async function ims(dir: string, file: string, cut: [number, number, number, number], sizes: number[]) {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  const header = text.slice(0, text.indexOf('\n')).split(',');
  const columns = header.filter((h) => h.startsWith('Bearing'));
  const rec = parseCsv(text, path, { columns, sampleRate: 1 / 600 });
  const [train, cal, test, end] = cut;
  const w = await scoreAll(rec.samples, rec.channels, rec.sampleRate, train, { model: 'pca' }, file);
  const name = `IMS ${file.replace('_10min.csv', '')}`;
  return [
    ...blocks(name, inRows(w, cal, test), inRows(w, test, end), sizes),
    interleave(name, inRows(w, cal, end), INTERLEAVE_BLOCK),
  ];
}

/** CWRU normal record 097: train on its first 40 %, calibrate on 40-60 %, test on the last 40 % (as the bench). */
export async function cwru(dir: string): Promise<Case[]> {
  const record = cwruRecords(dir).find((r) => r.id === CWRU_NORMAL_ID);
  if (!record) return [];
  const samples = loadCwru(dir, record);
  const n = samples.length;
  const w = await scoreAll(samples, 1, record.sampleRate, Math.floor(0.4 * n), CWRU_TRAIN, record.id);
  const calibration = inRows(w, Math.floor(0.4 * n), Math.floor(0.6 * n));
  const test = inRows(w, Math.floor(0.6 * n), n);
  return [
    { dataset: 'CWRU 097', protocol: 'forward', m: calibration.length, calibration, test },
    interleave('CWRU 097', inRows(w, Math.floor(0.4 * n), n), 20),
  ];
}
