import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { onExit } from '../scripts/process/cleanup.js';

const ROOT = resolve(import.meta.dirname, '..');
const SOURCE_DIRS = ['cli', 'shared', 'runtime', 'device', 'trainer', 'eval', 'tools', 'bench', 'scripts'];

/** Where to start thrum's modules from in a fresh node process, and how. */
export interface JavaScriptTree {
  root: string;
  /** Extra node arguments (a TypeScript loader in the fallback). */
  nodeArgs: string[];
  /** Module extension under root: `.js`, or `.ts` in the fallback. */
  ext: '.js' | '.ts';
  /** For the results: what runs. */
  label: string;
  /** `node [...nodeArgs] <path of rel>` for a module given without extension, e.g. `cli/main`. */
  entry(rel: string): string[];
  cleanup(): void;
}

/**
 * The code the separate processes of the bench (the daemon, the latency run) start from, as the published
 * package runs it: plain JavaScript, no TypeScript loader in memory. Installed from npm (no cli/main.ts next
 * to us) that is the package itself. In a clone the sources are transpiled once to a temp dir with esbuild
 * (what tsx itself runs on; about a second); if that fails they run under tsx, which adds 30-40 MiB of RSS,
 * and the label says so.
 */
export async function javascriptTree(): Promise<JavaScriptTree> {
  const tree = (root: string, ext: '.js' | '.ts', nodeArgs: string[], label: string, cleanup = () => {}) => ({
    root,
    ext,
    nodeArgs,
    label,
    entry: (rel: string) => [...nodeArgs, join(root, `${rel}${ext}`)],
    cleanup,
  });
  if (!existsSync(join(ROOT, 'cli', 'main.ts'))) return tree(ROOT, '.js', [], 'compiled package');
  const fallback = tree(ROOT, '.ts', ['--import', 'tsx'], 'TypeScript sources under tsx');
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    return fallback;
  }
  const out = mkdtempSync(join(tmpdir(), 'thrum-bench-js-'));
  const remove = () => rmSync(out, { recursive: true, force: true });
  const forget = onExit(remove);
  try {
    for (const file of SOURCE_DIRS.flatMap((d) => tsFiles(join(ROOT, d)))) {
      const { code } = esbuild.transformSync(readFileSync(file, 'utf8'), {
        loader: 'ts',
        format: 'esm',
        target: 'node20',
        sourcefile: file,
      });
      const target = join(out, relative(ROOT, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, code);
    }
    writeFileSync(join(out, 'package.json'), JSON.stringify({ type: 'module' }));
    symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'), 'dir');
  } catch {
    forget();
    remove();
    return fallback;
  }
  return tree(out, '.js', [], 'sources transpiled to JavaScript, as the published package runs', () => {
    forget();
    remove();
  });
}

function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    if (name.startsWith('.') || name === 'node_modules') return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}
