import type Database from 'better-sqlite3';

/** Ranges wider than this are searched for the end of a failing run; narrower ones are halved. */
const WIDE = 256;

/** Inclusive range of rowids. */
export interface RowidRange {
  from: number;
  to: number;
}

export interface RangeRead<T> {
  /** Rows read and accepted by `valid`, in rowid order. */
  rows: T[];
  /** Rowids that could not be read (or held rows `valid` refused), merged, ascending. */
  unreadable: RowidRange[];
}

export interface RangeReadOptions<T> {
  /** `SELECT ... WHERE <rowid> BETWEEN ? AND ? ORDER BY <rowid>` over the table. */
  select: Database.Statement<[number, number], T>;
  rowidOf(row: T): number;
  /** A damaged page can decode into rows that are not what was written: refuse those. */
  valid(row: T): boolean;
  from: number;
  to: number;
  /** Failed reads allowed before the rest is given up as unreadable (a damaged root page fails them all). */
  budget?: number;
}

/**
 * Reads a rowid table of a damaged SQLite file range by range. A read that fails keeps the rows it produced
 * before the error; what lies beyond is halved and read again, down to single rowids, so one bad page costs
 * the rows on it instead of the whole table (a plain `SELECT *` stops at the first bad page).
 */
export function readAroundDamage<T>(o: RangeReadOptions<T>): RangeRead<T> {
  const rows: T[] = [];
  const unreadable: RowidRange[] = [];
  let failures = 0;
  const budget = o.budget ?? 5000;

  const markBad = (from: number, to: number) => {
    const last = unreadable.at(-1);
    if (last && last.to + 1 >= from) last.to = Math.max(last.to, to);
    else unreadable.push({ from, to });
  };

  /** True when reading the single rowid `x` fails. */
  const fails = (x: number): boolean => {
    try {
      o.select.all(x, x);
      return false;
    } catch {
      failures += 1;
      return true;
    }
  };

  const scan = (from: number, to: number): void => {
    if (from > to) return;
    let next = from;
    try {
      for (const row of o.select.iterate(from, to)) {
        const rowid = o.rowidOf(row);
        if (o.valid(row)) rows.push(row);
        else markBad(rowid, rowid);
        next = rowid + 1;
      }
      return;
    } catch {
      // the rows before the error are kept; the error lies at or after `next`
    }
    failures += 1;
    if (next > to) return;
    if (next === to || failures >= budget) {
      markBad(next, to);
      return;
    }
    // A wide range that fails at one end is a damaged edge page seen through a guessed bound (min/max could
    // not be read): find where the failing run ends by galloping from that end, not by halving it point by
    // point. Narrow ranges (a page's worth of rowids) are halved, which misses no readable row.
    if (to - next > WIDE && fails(next)) {
      const end = runEnd(next, to, +1);
      markBad(next, end);
      scan(end + 1, to);
      return;
    }
    if (to - next > WIDE && fails(to)) {
      const start = runEnd(to, next, -1);
      scan(next, start - 1);
      markBad(start, to);
      return;
    }
    const mid = next + Math.floor((to - next) / 2);
    scan(next, mid);
    scan(mid + 1, to);
  };

  /** From `at` (failing), the last failing rowid going in `dir` before one reads, or `limit` if none does. */
  const runEnd = (at: number, limit: number, dir: 1 | -1): number => {
    let bad = at;
    let step = 1;
    let good = Number.NaN;
    while (Number.isNaN(good)) {
      const x = at + dir * step;
      if (dir * (x - limit) >= 0 || failures >= budget) return limit;
      if (fails(x)) {
        bad = x;
        step *= 2;
      } else good = x;
    }
    while (Math.abs(good - bad) > 1) {
      const mid: number = bad + dir * Math.floor(Math.abs(good - bad) / 2);
      if (fails(mid)) bad = mid;
      else good = mid;
    }
    return bad;
  };

  scan(o.from, o.to);
  return { rows, unreadable };
}
