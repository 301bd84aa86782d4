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
    for (let c = 0; c < channels; c++) fields[f++] = float32Text(samples[r * channels + c], r * channels + c);
    lines[r] = fields.join(',');
  }
  return rows === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Shortest decimal that parses back to the same float32 (at most 9 significant digits are ever needed). */
function float32Text(value: number, index: number): string {
  const v = Math.fround(value);
  if (!Number.isFinite(v)) fail(`sample ${index} (${value}) is not a finite float32`);
  if (Number.isInteger(v) && Math.abs(v) < 2 ** 24) return Object.is(v, -0) ? '-0' : String(v);
  const fits = (digits: number): boolean => Math.fround(Number(v.toPrecision(digits))) === v;
  let digits = 6;
  if (fits(digits)) {
    while (digits > 1 && fits(digits - 1)) digits--;
  } else {
    while (!fits(digits)) digits++;
  }
  return String(Number(v.toPrecision(digits)));
}
