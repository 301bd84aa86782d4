// Installs npm dependencies on a fresh clone (no node_modules yet), so the README's two quick-start
// commands work as written. Plain JavaScript: it must run before anything is installed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function ensureDeps() {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  if (existsSync(join(root, 'node_modules', '.package-lock.json'))) return;
  // stderr: `npx thrum sim > file.csv` on a fresh clone must not get this line in its data.
  console.error('thrum: first run: installing dependencies with `npm ci` (about 2-3 minutes)...');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'inherit',
    env: installEnv(),
  });
  if (r.status !== 0) {
    console.error('thrum: `npm ci` failed; fix the error above and run the command again');
    process.exit(r.status ?? 1);
  }
}

/**
 * onnxruntime-node's install script only downloads GPU (CUDA/TensorRT) libraries; its CPU binaries ship in the
 * package. npm 11 skips the script through `allowScripts` in package.json (no warning); older npm runs it, and
 * ONNXRUNTIME_NODE_INSTALL=skip makes it a no-op there.
 */
export function installEnv(env = process.env) {
  return { ...env, ONNXRUNTIME_NODE_INSTALL: env.ONNXRUNTIME_NODE_INSTALL ?? 'skip' };
}
