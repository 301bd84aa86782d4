import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const SOURCE_DIRS = ['cli', 'shared', 'device', 'trainer', 'scripts'];

export interface DaemonCommand {
  /** Arguments after `node` that start the CLI (append `run --config <file>`). */
  args: string[];
  /** What runs, for the results: compiled JavaScript (as the published package runs) or TypeScript via tsx. */
  label: string;
  cleanup(): void;
}

/**
 * How to start `thrum run` as the published package does: plain JavaScript, no TypeScript loader in memory.
 * Installed from npm (no cli/main.ts next to us) that is the package's own CLI. In a clone the sources are
 * transpiled once to a temp dir with esbuild (what tsx itself uses; well under a second); when that fails the
 * daemon runs under tsx, which adds about 30-40 MiB of RSS, and the label says so.
 */
export async function daemonCommand(): Promise<DaemonCommand> {
  const cli = join(ROOT, 'cli', 'main.js');
  if (!existsSync(join(ROOT, 'cli', 'main.ts'))) {
    return { args: [cli], label: 'thrum run (compiled package)', cleanup: () => {} };
  }
  const tsx = { args: [join(ROOT, 'bin', 'thrum.js')], label: 'thrum run under tsx (sources)', cleanup: () => {} };
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    return tsx;
  }
  const out = mkdtempSync(join(tmpdir(), 'thrum-bench-js-'));
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
    rmSync(out, { recursive: true, force: true });
    return tsx;
  }
  return {
    args: [join(out, 'cli', 'main.js')],
    label: 'thrum run, sources transpiled to JavaScript (as the published package runs)',
    cleanup: () => rmSync(out, { recursive: true, force: true }),
  };
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
