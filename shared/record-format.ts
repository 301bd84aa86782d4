/**
 * The dataset file `thrum record` writes and `thrum train` reads: CSV, comma-separated, one sample per line,
 * channels in order, opened by one metadata comment line:
 *
 *   # thrum record sampleRate=3200 channels=3 names=x,y,z
 *   0.0123,-0.0045,0.9981
 *   ...
 *
 * The metadata line is optional: a plain header line `x,y,z` also works (then pass --sample-rate).
 * Other lines starting with `#` are comments.
 */
export interface RecordHeader {
  sampleRate: number;
  names: string[];
}

const PREFIX = '# thrum record';

export function formatRecordHeader(header: RecordHeader): string {
  const names = header.names.map((n) => n.replace(/[\s,=]/g, '_')).join(',');
  return `${PREFIX} sampleRate=${header.sampleRate} channels=${header.names.length} names=${names}`;
}

/** Parses a `# thrum record ...` line; undefined when the line is not one. Missing keys stay undefined. */
export function parseRecordHeader(line: string): Partial<RecordHeader> | undefined {
  if (!line.startsWith(PREFIX)) return undefined;
  const fields = new Map<string, string>();
  for (const token of line.slice(PREFIX.length).trim().split(/\s+/)) {
    const eq = token.indexOf('=');
    if (eq > 0) fields.set(token.slice(0, eq), token.slice(eq + 1));
  }
  const out: Partial<RecordHeader> = {};
  const rate = Number(fields.get('sampleRate'));
  if (Number.isFinite(rate) && rate > 0) out.sampleRate = rate;
  const names = fields.get('names');
  if (names) out.names = names.split(',').filter((n) => n.length > 0);
  return out;
}
