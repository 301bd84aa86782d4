import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** The repository's root, for tests that read the source tree (import rules, log events). */
export const repoRoot = resolve(import.meta.dirname, '../..');

/** Repo-relative paths of the .ts/.mts/.js/.mjs files under `dir` (none when it is missing); skips node_modules and bench results. */
export function sourceFiles(dir: string): string[] {
  const abs = join(repoRoot, dir);
  let entries: string[];
  try {
    entries = readdirSync(abs);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(abs, name);
    if (name === 'node_modules' || name === 'results') return [];
    if (statSync(path).isDirectory()) return sourceFiles(relative(repoRoot, path));
    return /\.(ts|mts|js|mjs)$/.test(name) ? [relative(repoRoot, path)] : [];
  });
}
