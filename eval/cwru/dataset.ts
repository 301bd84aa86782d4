import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ThrumError } from '../../shared/errors.js';
import { parseF32 } from '../../trainer/loaders/f32.js';
import { readManifestCsv } from '../manifest-csv.js';

export interface CwruRecord {
  id: string;
  label: 'normal' | 'fault';
  fault: string;
  diameterIn: number;
  sampleRate: number;
  samples: number;
  /** Relative to the CWRU folder. */
  file: string;
}

/** The records of `<dir>/manifest.csv` (CWRU drive-end 48 kHz, 0 HP). */
export function cwruRecords(dir: string): CwruRecord[] {
  const path = join(dir, 'manifest.csv');
  if (!existsSync(path)) {
    throw new ThrumError(
      'BAD_DATA',
      `${dir} is not the CWRU folder: ${path} is missing (give the folder holding manifest.csv, e.g. ../shared/datasets/cwru)`,
    );
  }
  return readManifestCsv(path).map((r) => ({
    id: r.id,
    label: r.label === 'normal' ? 'normal' : 'fault',
    fault: r.fault,
    diameterIn: Number(r.fault_diameter_in),
    sampleRate: Number(r.fs_hz),
    samples: Number(r.n_samples),
    file: r.files,
  }));
}

/** One record's drive-end waveform (float32 LE, one channel), checked against the manifest's length. */
export function loadCwru(dir: string, record: CwruRecord): Float32Array {
  const path = join(dir, record.file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new ThrumError('BAD_DATA', `cannot read CWRU record ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const { samples } = parseF32(bytes, path, { channels: 1, sampleRate: record.sampleRate });
  if (samples.length !== record.samples) {
    throw new ThrumError(
      'BAD_DATA',
      `${path}: ${samples.length} samples but manifest.csv says ${record.samples}`,
    );
  }
  return samples;
}
