import { ThrumError } from '../../shared/errors.js';
import { parseRecordHeader } from '../../shared/record-format.js';
import { autoColumns, type ColumnChoice, isNumericField, pickColumns } from './csv-columns.js';
import { clockRate, dropFirstChannel, isMicrosecondClock } from './leading-clock.js';
import type { Recording } from './recording.js';
import { inferSampleRate } from './sample-rate.js';
import { parseTimestamp } from './timestamp.js';

export interface CsvOptions {
  /** Columns to use, by header name or 0-based index; default: numeric columns except time/label columns. */
  columns?: string[];
  /** Overrides the rate from a `# thrum record` line or from a date-time column. */
  sampleRate?: number;
  /** Overrides channel names. */
  names?: string[];
  /**
   * The channels a bundle was trained on (`thrum eval`): picked by name where the file names its columns (a
   * header line or a `# thrum record` line), else by position among the numeric columns.
   */
  channelNames?: string[];
}

function detectSeparator(line: string): string {
  if (line.includes(';')) return ';';
  if (line.includes(',')) return ',';
  if (line.includes('\t')) return '\t';
  return ',';
}

/** Yields [1-based line number, line] for non-blank lines; `#` lines are returned too (the caller decides). */
function* lines(text: string): Generator<[number, string]> {
  let start = 0;
  let lineNo = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    if (line.trim().length > 0) yield [lineNo, line];
    start = end + 1;
  }
}

/**
 * pandas writes a numeric header when the columns had no names: `,0,1,2,3` (an empty cell over the index
 * column, then 0..n-1). Read as a header, not as a data row.
 */
function isIndexHeader(fields: string[]): boolean {
  if (fields.length < 2 || fields[0].trim() !== '') return false;
  return fields.slice(1).every((f, i) => f.trim() === String(i));
}

/**
 * Parses CSV text (`,` `;` or tab separated, header optional) into a recording. Errors name the file, the
 * line and the fix: ragged rows, NaN/Inf or non-numeric values in a used column.
 */
export function parseCsv(text: string, file: string, options: CsvOptions = {}): Recording {
  let meta: ReturnType<typeof parseRecordHeader>;
  let sep = '';
  let width = 0;
  let header: string[] | undefined;
  let choice: ColumnChoice | undefined;
  let timeIndex = -1;
  const stamps: string[] = [];
  let clock: number[] | undefined;
  let buf = new Float32Array(1 << 16);
  let n = 0;

  for (const [lineNo, line] of lines(text)) {
    if (line.startsWith('#')) {
      meta ??= parseRecordHeader(line);
      continue;
    }
    if (!sep) {
      sep = detectSeparator(line);
      const fields = line.split(sep);
      width = fields.length;
      if (!fields.some(isNumericField) || isIndexHeader(fields)) {
        header = fields.map((f) => f.trim().replace(/^"(.*)"$/, '$1'));
        continue;
      }
    }
    const fields = line.split(sep);
    if (fields.length !== width) {
      throw new ThrumError(
        'BAD_DATA',
        `${file}:${lineNo}: ragged row: ${fields.length} fields where the file has ${width} (separator '${sep}'); fix or delete that line`,
      );
    }
    if (!choice) {
      // Without a header line, the `# thrum record` names are the column names (files without a clock column).
      const names = header ?? (meta?.names?.length === width ? meta.names : undefined);
      choice = options.columns?.length
        ? pickColumns(options.columns, names, width, file)
        : options.channelNames?.length && names
          ? pickColumns(options.channelNames, names, width, file)
          : autoColumns(fields, names);
      if (choice.indexes.length === 0) {
        throw new ThrumError(
          'BAD_DATA',
          `${file}:${lineNo}: no numeric columns to train on; pick them with --columns`,
        );
      }
      timeIndex = fields.findIndex((f) => !isNumericField(f) && parseTimestamp(f) !== undefined);
      if (!header && !options.columns?.length && width > 1 && /^\s*\d+\s*$/.test(fields[0])) clock = [];
    }
    clock?.push(Number(fields[0]));
    if (n + choice.indexes.length > buf.length) {
      const grown = new Float32Array(buf.length * 2);
      grown.set(buf);
      buf = grown;
    }
    for (let c = 0; c < choice.indexes.length; c++) {
      const field = fields[choice.indexes[c]];
      const value = Number(field);
      if (!Number.isFinite(value) || field.trim().length === 0) {
        const what = /nan|inf/i.test(field)
          ? `${field.trim()} (NaN/Inf)`
          : `'${field.trim()}' (not a number)`;
        throw new ThrumError(
          'BAD_DATA',
          `${file}:${lineNo}: column ${choice.names[c]} holds ${what}; clean the file (drop or interpolate that row) or leave the column out with --columns`,
        );
      }
      buf[n++] = value;
    }
    if (timeIndex >= 0 && stamps.length < 100_000) stamps.push(fields[timeIndex]);
  }

  if (!choice || n === 0)
    throw new ThrumError('BAD_DATA', `${file}: no data rows found; is this a CSV recording?`);
  let samples: Float32Array = buf.slice(0, n);
  let sampleRate = options.sampleRate ?? meta?.sampleRate;
  let rateNote = '';
  if (clock && isMicrosecondClock(clock)) {
    samples = dropFirstChannel(samples, choice.indexes.length);
    choice.skipped.push(`${choice.names[0]} (increasing integers: a µs timestamp)`);
    choice.indexes.shift();
    choice.names.shift();
    if (sampleRate === undefined) {
      sampleRate = clockRate(clock);
      rateNote = `sample rate ${+sampleRate.toPrecision(6)} Hz from the µs timestamps`;
    }
  }
  const channels = choice.indexes.length;
  const notes = [`columns used: ${choice.names.join(', ')}`];
  if (choice.skipped.length) notes.push(`columns skipped: ${choice.skipped.join(', ')}`);
  if (rateNote) notes.push(rateNote);

  if (sampleRate === undefined && timeIndex >= 0) {
    sampleRate = inferSampleRate(stamps);
    if (sampleRate !== undefined) {
      notes.push(
        `sample rate ${+sampleRate.toPrecision(6)} Hz inferred from column ${header?.[timeIndex] ?? timeIndex}`,
      );
    }
  }
  if (sampleRate === undefined) {
    throw new ThrumError(
      'BAD_DATA',
      `${file}: the sample rate is unknown (no '# thrum record' line, no date-time column); pass --sample-rate HZ`,
    );
  }
  // A header line names the columns; without one, the `# thrum record` line does (unless columns were picked).
  const metaNames =
    !header && !options.columns?.length && meta?.names?.length === channels ? meta.names : undefined;
  const byPosition =
    !header && !options.columns?.length && options.channelNames?.length === channels
      ? options.channelNames
      : undefined;
  const names = options.names ?? byPosition ?? metaNames ?? choice.names;
  if (names.length !== channels) {
    throw new ThrumError(
      'BAD_DATA',
      `${file}: ${names.length} channel names given for ${channels} columns (${choice.names.join(', ')})`,
    );
  }
  return { samples, channels, sampleRate, names, source: file, notes };
}
