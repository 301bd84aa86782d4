import { readFileSync } from 'node:fs';
import { ThrumError } from '../shared/errors.js';

/** Splits one CSV line on commas, honouring double quotes ("a, b" stays one field; "" is a quote). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/** A dataset's manifest.csv as records keyed by its header; errors name the file. */
export function readManifestCsv(path: string): Record<string, string>[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ThrumError(
      'BAD_DATA',
      `cannot read ${path}: ${(err as Error).message}; give the dataset folder that holds manifest.csv`,
      { cause: err },
    );
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  if (lines.length < 2) throw new ThrumError('BAD_DATA', `${path}: no records below the header`);
  const header = splitCsvLine(lines[0]);
  return lines.slice(1).map((line, i) => {
    const fields = splitCsvLine(line);
    if (fields.length !== header.length) {
      throw new ThrumError(
        'BAD_DATA',
        `${path}:${i + 2}: ${fields.length} fields where the header has ${header.length}`,
      );
    }
    return Object.fromEntries(header.map((h, j) => [h, fields[j]]));
  });
}
