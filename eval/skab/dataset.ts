import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ThrumError } from '../../shared/errors.js';
import { parseCsv } from '../../trainer/loaders/csv.js';
import { readManifestCsv } from '../manifest-csv.js';

/** The 8 sensor columns the official notebooks train on, in file order. */
export const SKAB_CHANNELS = [
  'Accelerometer1RMS',
  'Accelerometer2RMS',
  'Current',
  'Pressure',
  'Temperature',
  'Thermocouple',
  'Voltage',
  'Volume Flow RateRMS',
] as const;
export type SkabChannel = (typeof SKAB_CHANNELS)[number];

/** Rows of each labelled file that form its training set in the official protocol. */
export const SKAB_TRAIN_ROWS = 400;
/** SKAB's nominal rate: one row per second (steps are mostly 1-2 s, with a few longer gaps). */
export const SKAB_SAMPLE_RATE = 1;

export interface SkabEntry {
  /** Relative to the dataset's `data/` folder, e.g. `valve1/0.csv` (how --predictions names it). */
  file: string;
  group: string;
  rows: number;
  anomalousRows: number;
  anomalyStart: number;
  anomalyEnd: number;
  anomalyInTrain: boolean;
}

export interface SkabFile extends SkabEntry {
  /** rows x 8 values, interleaved in SKAB_CHANNELS order. */
  samples: Float32Array;
  /** Per row: 1 = anomalous (the file's `anomaly` column), else 0. */
  labels: Uint8Array;
}

const int = (value: string, field: string, file: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n)) {
    throw new ThrumError('BAD_DATA', `SKAB manifest.csv: ${file}: ${field} '${value}' is not an integer`);
  }
  return n;
};

/**
 * The 34 labelled files listed in `<dir>/manifest.csv` (anomaly-free.csv is not part of the official protocol),
 * in manifest order. `dir` is the SKAB folder (it holds manifest.csv and data/).
 */
export function skabEntries(dir: string): SkabEntry[] {
  const path = join(dir, 'manifest.csv');
  if (!existsSync(path)) {
    throw new ThrumError(
      'BAD_DATA',
      `${dir} is not the SKAB folder: ${path} is missing (give the folder holding manifest.csv and data/, e.g. ../shared/datasets/skab)`,
    );
  }
  return readManifestCsv(path)
    .filter((r) => r.group !== 'anomaly-free')
    .map((r) => {
      const file = r.file.replace(/^data\//, '');
      return {
        file,
        group: r.group,
        rows: int(r.n_rows, 'n_rows', file),
        anomalousRows: int(r.n_anomalous_rows, 'n_anomalous_rows', file),
        anomalyStart: int(r.anomaly_start_row, 'anomaly_start_row', file),
        anomalyEnd: int(r.anomaly_end_row, 'anomaly_end_row', file),
        anomalyInTrain: r.anomaly_in_first_400_rows === '1',
      };
    });
}

/** Reads one labelled file: the 8 sensor channels and the `anomaly` column; checks the row count. */
export function loadSkabFile(dir: string, entry: SkabEntry): SkabFile {
  const path = join(dir, 'data', entry.file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ThrumError('BAD_DATA', `cannot read SKAB file ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const sensors = parseCsv(text, path, { columns: [...SKAB_CHANNELS], sampleRate: SKAB_SAMPLE_RATE });
  const anomaly = parseCsv(text, path, { columns: ['anomaly'], sampleRate: SKAB_SAMPLE_RATE });
  const rows = anomaly.samples.length;
  if (rows !== entry.rows) {
    throw new ThrumError(
      'BAD_DATA',
      `${path}: ${rows} data rows but manifest.csv says ${entry.rows}: the file is not the SKAB v0.9 original`,
    );
  }
  const labels = Uint8Array.from(anomaly.samples, (v) => (v !== 0 ? 1 : 0));
  return { ...entry, samples: sensors.samples, labels };
}

/** The chosen channels of interleaved 8-channel SKAB samples, in SKAB_CHANNELS order. */
export function selectChannels(samples: Float32Array, channels: readonly SkabChannel[]): Float32Array {
  const all = SKAB_CHANNELS.length;
  const picked = SKAB_CHANNELS.map((c, i) => (channels.includes(c) ? i : -1)).filter((i) => i >= 0);
  if (picked.length === all) return samples;
  const rows = samples.length / all;
  const out = new Float32Array(rows * picked.length);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < picked.length; j++) out[r * picked.length + j] = samples[r * all + picked[j]];
  }
  return out;
}
