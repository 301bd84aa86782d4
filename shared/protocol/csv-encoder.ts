import { ThrumError } from '../errors.js';
import { MAX_CHANNELS } from './limits.js';

export interface CsvEncodeOptions {
  /** One whole, non-negative number of µs per sample, written as a leading field. */
  timestampsUs?: ArrayLike<number>;
}

const fail = (message: string): never => {
  throw new ThrumError('BAD_DATA', `encodeCsv: ${message}`);
};

/**
 * Lines `v1,...,vC\n` (or `t_us,v1,...,vC\n`) for interleaved samples. Each value is written with the
 * fewest digits that read back as the same float32, so decoding the text gives the samples back exactly.
 */
export function encodeCsv(
  samples: ArrayLike<number>,
  channels: number,
  options: CsvEncodeOptions = {},
): string {
  if (!Number.isInteger(channels) || channels < 1 || channels > MAX_CHANNELS) {
    fail(`channels must be an integer in 1..${MAX_CHANNELS}, got ${channels}`);
  }
  if (samples.length % channels !== 0)
    fail(`${samples.length} values are not whole samples of ${channels} channels`);
  const rows = samples.length / channels;
  const timestamps = options.timestampsUs;
  if (timestamps && timestamps.length !== rows) fail(`${timestamps.length} timestamps for ${rows} samples`);
  const lines: string[] = new Array(rows);
  const fields: string[] = new Array(channels + (timestamps ? 1 : 0));
  for (let r = 0; r < rows; r++) {
    let f = 0;
    if (timestamps) {
      const t = timestamps[r];
      if (!Number.isSafeInteger(t) || t < 0)
        fail(`timestamp ${r} (${t}) is not a whole non-negative number of µs`);
      fields[f++] = String(t);
    }
    for (let c = 0; c < channels; c++) {
      fields[f++] = float32Text(samples[r * channels + c], r * channels + c);
    }
    lines[r] = fields.join(',');
  }
  return rows === 0 ? '' : `${lines.join('\n')}\n`;
}

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * The shortest decimal that parses back to the same float32. Tries 1..9 significant digits with plain
 * arithmetic (`round(v * 10^k) / 10^k`, each candidate checked by rounding it back to float32), which is
 * several times faster than `toPrecision`; values too large or small for exact powers of ten use that.
 */
function float32Text(value: number, index: number): string {
  const v = Math.fround(value);
  if (!Number.isFinite(v)) fail(`sample ${index} (${value}) is not a finite float32`);
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const magnitude = Math.abs(v);
  let e = Math.floor(Math.log10(magnitude));
  if (magnitude >= 10 ** (e + 1)) e++;
  else if (magnitude < 10 ** e) e--;
  if (e < -13 || e > 13) return float32TextByPrecision(v);
  for (let digits = 1; digits <= 9; digits++) {
    const k = digits - 1 - e;
    const candidate = k >= 0 ? Math.round(v * POW10[k]) / POW10[k] : Math.round(v / POW10[-k]) * POW10[-k];
    if (Math.fround(candidate) === v) return String(candidate);
  }
  return float32TextByPrecision(v);
}

/** The same search with `toPrecision`, exact at any magnitude (9 significant digits always suffice). */
function float32TextByPrecision(v: number): string {
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(v.toPrecision(digits));
    if (Math.fround(candidate) === v) return String(candidate);
  }
  return String(Number(v.toPrecision(9)));
}
