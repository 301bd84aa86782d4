import { readFileSync } from 'node:fs';
import { ThrumError } from '../shared/errors.js';
import { parseCsv } from '../trainer/loaders/csv.js';

/**
 * Where per-row labels come from (1 = anomalous; any non-zero value counts as 1):
 * - `column`: a column of each CSV data file, e.g. SKAB's `anomaly`;
 * - `files`: one label file per data file, in the same order: one value per data row, an optional header
 *   line, nothing else on the line;
 * - `all`: every row of every data file has this label (whole-record labels, e.g. a CWRU fault record).
 */
export type LabelSource =
  | { kind: 'column'; column: string }
  | { kind: 'files'; files: string[] }
  | { kind: 'all'; value: 0 | 1 };

function toLabels(values: ArrayLike<number>): Uint8Array {
  return Uint8Array.from({ length: values.length }, (_, i) => (values[i] !== 0 ? 1 : 0));
}

/** Labels of data file `index` (`file`), checked against its row count. */
export function loadLabels(source: LabelSource, file: string, index: number, rows: number): Uint8Array {
  let labels: Uint8Array;
  let from: string;
  if (source.kind === 'all') return new Uint8Array(rows).fill(source.value);
  if (source.kind === 'column') {
    from = `column ${source.column} of ${file}`;
    const text = readText(file);
    // The rate is irrelevant for a label column; passing one skips the loader's rate inference.
    labels = toLabels(parseCsv(text, file, { columns: [source.column], sampleRate: 1 }).samples);
  } else {
    const labelFile = source.files[index];
    if (labelFile === undefined) {
      throw new ThrumError(
        'BAD_USAGE',
        `--label-file: ${source.files.length} label file(s) for more --data files: give one label file per data file, in the same order`,
      );
    }
    from = labelFile;
    labels = parseLabelFile(readText(labelFile), labelFile);
  }
  if (labels.length !== rows) {
    throw new ThrumError(
      'BAD_DATA',
      `${from}: ${labels.length} labels for ${rows} data rows in ${file}: labels must cover every row`,
    );
  }
  return labels;
}

/** One 0/1 value per line; an optional non-numeric header line; blank lines ignored. */
export function parseLabelFile(text: string, file: string): Uint8Array {
  const out: number[] = [];
  let first = true;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const header = first;
    first = false;
    const value = Number(line);
    if (Number.isFinite(value)) out.push(value);
    else if (!header) {
      throw new ThrumError(
        'BAD_DATA',
        `${file}:${i + 1}: '${line}' is not a label: a label file holds one number per data row (0 normal, 1 anomalous)`,
      );
    }
  });
  return toLabels(out);
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ThrumError('BAD_DATA', `cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
}
