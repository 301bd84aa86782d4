const COMMA = 0x2c;
const SPACE = 0x20;
const TAB = 0x09;
const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

/** Powers of ten that are exact doubles: a product or quotient with one of them is correctly rounded. */
const EXACT_POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
/** Integers up to 15 decimal digits are exact doubles (< 2^53). */
const MAX_EXACT_DIGITS = 15;

const isDigit = (b: number): boolean => b >= ZERO && b <= ZERO + 9;
const isBlank = (b: number): boolean => b === SPACE || b === TAB;

/**
 * Parses one decimal number, `[+-]digits[.digits][e[+-]digits]` with optional blanks around it, from ASCII
 * bytes without making a string. Returns NaN for anything else (words, `nan`, `inf`, hex, empty). Uses
 * Clinger's fast path (exact mantissa times an exact power of ten, so the result is correctly rounded and
 * equals `Number(text)`), and falls back to `Number` for long mantissas or large exponents.
 */
export function parseNumber(bytes: Uint8Array, start: number, end: number): number {
  while (start < end && isBlank(bytes[start])) start++;
  while (end > start && isBlank(bytes[end - 1])) end--;
  let i = start;
  const negative = bytes[i] === MINUS;
  if (negative || bytes[i] === PLUS) i++;
  let mantissa = 0;
  let digits = 0;
  let significant = 0;
  let scale = 0;
  let b = bytes[i];
  for (; i < end && isDigit(b); b = bytes[++i]) {
    digits++;
    if (significant > 0 || b !== ZERO) significant++;
    mantissa = mantissa * 10 + (b - ZERO);
  }
  if (i < end && b === DOT) {
    for (b = bytes[++i]; i < end && isDigit(b); b = bytes[++i]) {
      digits++;
      if (significant > 0 || b !== ZERO) significant++;
      mantissa = mantissa * 10 + (b - ZERO);
      scale--;
    }
  }
  if (digits === 0) return Number.NaN;
  if (i < end && (b === LOWER_E || b === UPPER_E)) {
    b = bytes[++i];
    const negativeExp = b === MINUS;
    if (negativeExp || b === PLUS) b = bytes[++i];
    let exponent = 0;
    const expStart = i;
    for (; i < end && isDigit(b); b = bytes[++i]) exponent = Math.min(exponent * 10 + (b - ZERO), 1e6);
    if (i === expStart) return Number.NaN;
    scale += negativeExp ? -exponent : exponent;
  }
  if (i !== end) return Number.NaN;
  if (significant > MAX_EXACT_DIGITS || scale > 22 || scale < -22) return slowParse(bytes, start, end);
  const magnitude = scale >= 0 ? mantissa * EXACT_POW10[scale] : mantissa / EXACT_POW10[-scale];
  return negative ? -magnitude : magnitude;
}

function slowParse(bytes: Uint8Array, start: number, end: number): number {
  return Number(String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]));
}

/**
 * Splits `bytes[start, end)` at commas and parses each field into `out`. Returns the number of fields, or
 * `-(k + 1)` when field `k` is not a finite number, or `-(out.length + 1)` when there are more fields than
 * `out` holds.
 */
export function parseFields(bytes: Uint8Array, start: number, end: number, out: Float64Array): number {
  let count = 0;
  let fieldStart = start;
  for (let i = start; i <= end; i++) {
    if (i < end && bytes[i] !== COMMA) continue;
    if (count === out.length) return -(out.length + 1);
    const value = parseNumber(bytes, fieldStart, i);
    if (!Number.isFinite(value)) return -(count + 1);
    out[count++] = value;
    fieldStart = i + 1;
  }
  return count;
}
