import { ThrumError } from '../../shared/errors.js';

/** Header names that mark a time or label column: skipped when --columns is absent. */
const TIME_NAME = /^(date|datetime|time|timestamp|ts|t)([_ ]?(s|ms|us|ns))?$/i;
const LABEL_NAME = /^(anomaly|changepoint|label|labels|target|class|fault)$/i;

export interface ColumnChoice {
  /** 0-based indexes into each row's fields. */
  indexes: number[];
  names: string[];
  /** Why other columns were left out, for the user. */
  skipped: string[];
}

/** A number, or NaN/Inf spelled out (a numeric column with a bad value, reported where it is parsed). */
export function isNumericField(field: string): boolean {
  const t = field.trim();
  return (t.length > 0 && Number.isFinite(Number(t))) || /^[+-]?(nan|inf|infinity)$/i.test(t);
}

/** Resolves --columns (header names or 0-based indexes) against the file's header. */
export function pickColumns(
  requested: string[],
  header: string[] | undefined,
  width: number,
  file: string,
): ColumnChoice {
  const indexes = requested.map((want) => {
    const w = want.trim();
    if (/^\d+$/.test(w)) {
      const i = Number(w);
      if (i >= width) {
        throw new ThrumError(
          'BAD_DATA',
          `${file}: --columns ${w} is out of range: the file has ${width} columns (0-${width - 1})`,
        );
      }
      return i;
    }
    if (!header) {
      throw new ThrumError(
        'BAD_DATA',
        `${file}: --columns '${w}' names a column but the file has no header line; use 0-based indexes`,
      );
    }
    let i = header.indexOf(w);
    if (i < 0) i = header.findIndex((h) => h.toLowerCase() === w.toLowerCase());
    if (i < 0) {
      throw new ThrumError(
        'BAD_DATA',
        `${file}: no column '${w}' in the header; columns are: ${header.join(', ')}`,
      );
    }
    return i;
  });
  const names = indexes.map((i) => header?.[i] || `col${i}`);
  return { indexes, names, skipped: [] };
}

/** Without --columns: every numeric column of the first data row, minus time and label columns by name. */
export function autoColumns(firstRow: string[], header: string[] | undefined): ColumnChoice {
  const choice: ColumnChoice = { indexes: [], names: [], skipped: [] };
  firstRow.forEach((field, i) => {
    const name = header?.[i] || `col${i}`;
    if (!isNumericField(field)) choice.skipped.push(`${name} (not numeric)`);
    else if (header && header[i]?.trim() === '' && /^\s*\d+\s*$/.test(field)) {
      // An unnamed integer column under a header is a row index (pandas' to_csv), not a signal.
      choice.skipped.push(`col${i} (unnamed index column)`);
    } else if (header && TIME_NAME.test(name.trim())) choice.skipped.push(`${name} (time column)`);
    else if (header && LABEL_NAME.test(name.trim())) choice.skipped.push(`${name} (label column)`);
    else {
      choice.indexes.push(i);
      choice.names.push(name);
    }
  });
  return choice;
}
