import { existsSync, renameSync } from 'node:fs';

/**
 * Moves a damaged database (and its -wal/-shm) aside as `<path>.corrupt-<timestamp>` so a fresh file can
 * take its place; the daemon keeps running instead of failing on every restart. Returns the new path.
 */
export function quarantineDb(path: string, now: Date): string {
  return moveAside(path, 'corrupt', now, ['-wal', '-shm']);
}

/**
 * Renames `path` to `<path>.<label>-<timestamp>` (numbered when taken), and each existing `path + suffix` of
 * `companions` to the new name + suffix. Returns the new path.
 */
export function moveAside(
  path: string,
  label: string,
  now: Date,
  companions: readonly string[] = [],
): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let target = `${path}.${label}-${stamp}`;
  for (let n = 1; existsSync(target); n++) target = `${path}.${label}-${stamp}-${n}`;
  renameSync(path, target);
  for (const suffix of companions) {
    if (existsSync(path + suffix)) renameSync(path + suffix, target + suffix);
  }
  return target;
}
