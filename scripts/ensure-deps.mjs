// Installs npm dependencies on a fresh clone (no node_modules yet), so the README's two quick-start
// commands work as written. Plain JavaScript: it must run before anything is installed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function ensureDeps() {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  if (existsSync(join(root, 'node_modules', '.package-lock.json'))) return;
  console.log('thrum: first run: installing dependencies with `npm ci` (about 2-3 minutes)...');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('thrum: `npm ci` failed; fix the error above and run the command again');
    process.exit(r.status ?? 1);
  }
}
