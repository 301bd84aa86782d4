/**
 * Parses the date-time stamps recordings carry into epoch ms (only differences matter: they give the sample
 * rate). Besides what Date.parse takes (ISO 8601, SKAB's `2020-03-09 10:14:33`), it reads the all-numeric
 * forms data loggers write, year first so they are unambiguous: `2004.02.12.10.32.39` (NASA IMS),
 * `2004/02/12 10:32:39`, `2004-02-12_10-32-39.5`. Undefined when the text is not a date-time.
 */
export function parseTimestamp(text: string): number | undefined {
  const t = text.trim().replace(/^"(.*)"$/, '$1');
  const m = YEAR_FIRST.exec(t);
  if (m) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', frac = ''] = m;
    const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
    const month = Number(mo);
    const day = Number(d);
    if (
      month < 1 ||
      month > 12 ||
      day < 1 ||
      day > 31 ||
      Number(h) > 23 ||
      Number(mi) > 59 ||
      Number(s) > 60
    ) {
      return undefined;
    }
    return Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s), ms);
  }
  // A bare number is a value, not a date (Date.parse('12') is a year).
  if (/^[+-]?\d+(\.\d+)?$/.test(t)) return undefined;
  const parsed = Date.parse(t);
  return Number.isFinite(parsed) ? parsed : undefined;
}

const YEAR_FIRST =
  /^(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?:[ T._-](\d{1,2})[:.-](\d{2})(?:[:.-](\d{2})(?:[.,](\d{1,6}))?)?)?$/;
