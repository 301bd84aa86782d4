import type Database from 'better-sqlite3';

export const SCHEMA_VERSION = 1;

/** Pragmas and tables of the outbox file. WAL + synchronous=FULL: a returned commit survives a power cut. */
export function configureOutboxDb(db: Database.Database, maxPageCount?: number): void {
  // The first statement that reads the file: a non-database file throws SQLITE_NOTADB here.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  if (maxPageCount !== undefined) db.pragma(`max_page_count = ${Math.floor(maxPageCount)}`);
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(
      `outbox schema version ${version} is newer than this thrum understands (${SCHEMA_VERSION})`,
    );
  }
  db.exec(`
    CREATE TABLE IF NOT EXISTS counters (
      sensor_id INTEGER PRIMARY KEY,
      seq INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS entries (
      ord INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      kind TEXT NOT NULL CHECK (kind IN ('alert', 'eviction')),
      sensor_id INTEGER NOT NULL,
      seq INTEGER,
      created_at INTEGER NOT NULL,
      bytes INTEGER NOT NULL,
      body TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS entries_by_age ON entries (kind, created_at);
  `);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
}

/** Throws SQLITE_CORRUPT-like errors for a damaged file; cheap enough for every start. */
export function verifyOutboxDb(db: Database.Database): void {
  const rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
  const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
  if (problems.length > 0) {
    const err = new Error(`outbox database failed quick_check: ${problems.slice(0, 3).join('; ')}`);
    (err as NodeJS.ErrnoException).code = 'SQLITE_CORRUPT';
    throw err;
  }
}

/** Errors that mean the file itself is damaged (as opposed to a full disk or a busy lock). */
export function isCorruption(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code);
}

export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_FULL');
}
