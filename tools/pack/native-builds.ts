import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PackTarget } from './targets.js';

/**
 * The target-specific artefacts of a device package that cannot come from this machine's node_modules:
 * better-sqlite3 compiled for the target (Debian's cross g++ against the target Node's headers from npm) and
 * the target's Node binary. Both are cached under `cacheDir` (default .thrum/pack-cache/), keyed by version,
 * so CI compiles each once per run and a developer once per version.
 */
export interface NativeBuildOptions {
  root: string;
  cacheDir: string;
  say: (line: string) => void;
}

const require = createRequire(import.meta.url);

function packageVersion(root: string, name: string): string {
  return (require(join(root, 'node_modules', name, 'package.json')) as { version: string }).version;
}

function which(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** `npm pack` of a registry package into the cache, extracted; returns its package/ directory. */
export function npmPackage(name: string, version: string, options: NativeBuildOptions): string {
  const dir = join(options.cacheDir, 'npm', `${name}-${version}`);
  const pkg = join(dir, 'package');
  if (existsSync(join(pkg, 'package.json'))) return pkg;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  options.say(`pack: fetching ${name}@${version} from npm (cached in ${dir})`);
  const out = execFileSync('npm', ['pack', `${name}@${version}`, '--silent', '--pack-destination', tmp], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
    .trim()
    .split('\n')
    .pop()!;
  execFileSync('tar', ['xzf', join(tmp, out), '-C', tmp]);
  rmSync(join(tmp, out));
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return pkg;
}

/** The target's `node` binary (from the node-linux-<arch> npm package). */
export function targetNode(target: PackTarget, options: NativeBuildOptions): string {
  const { name, version } = target.nodePackage;
  return join(npmPackage(name, version, options), 'bin', 'node');
}

/** Where npm's bundled node-gyp is, or the one in node_modules. */
function nodeGyp(root: string): string {
  const candidates = [
    join(
      dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
    join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  const found = candidates.find((c) => existsSync(c));
  if (!found)
    throw new Error(`node-gyp not found (looked in ${candidates.join(', ')}); install npm with Node`);
  return found;
}

/**
 * better_sqlite3.node for the target: for linux-x64 the one this clone's install built; for arm targets
 * cross-compiled (a few minutes, then cached).
 */
export function betterSqlite3Binary(target: PackTarget, options: NativeBuildOptions): string {
  const { root, cacheDir, say } = options;
  const source = join(root, 'node_modules', 'better-sqlite3');
  if (!target.crossPrefix) {
    if (process.arch !== target.arch)
      throw new Error(`cannot build better-sqlite3 for ${target.id} on ${process.arch}`);
    return join(source, 'build', 'Release', 'better_sqlite3.node');
  }
  const version = packageVersion(root, 'better-sqlite3');
  const { name, version: nodeVersion } = target.nodePackage;
  const major = nodeVersion.split('.')[0];
  const out = join(cacheDir, `better-sqlite3-${version}-${target.id}-node${major}`, 'better_sqlite3.node');
  if (existsSync(out)) return out;
  const cxx = `${target.crossPrefix}-g++`;
  if (!which(cxx)) {
    throw new Error(
      `${cxx} not found: cross-compiling better-sqlite3 for ${target.id} needs Debian's ${target.crossPackage} ` +
        `(apt-get install ${target.crossPackage})`,
    );
  }
  const headers = npmPackage(name, nodeVersion, options);
  const work = join(cacheDir, `build-better-sqlite3-${target.id}-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  for (const entry of ['binding.gyp', 'deps', 'src', 'package.json']) {
    cpSync(join(source, entry), join(work, entry), { recursive: true });
  }
  say(
    `pack: cross-compiling better-sqlite3 ${version} for ${target.id} with ${cxx} (a few minutes, cached after)`,
  );
  const started = Date.now();
  const p = target.crossPrefix;
  const r = spawnSync(
    process.execPath,
    [nodeGyp(root), 'rebuild', `--arch=${target.gypArch}`, `--nodedir=${headers}`, '-j', '2'],
    {
      cwd: work,
      encoding: 'utf8',
      env: {
        ...process.env,
        CC: `${p}-gcc`,
        CXX: cxx,
        LINK: cxx,
        AR: `${p}-ar`,
        npm_config_loglevel: 'error',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const built = join(work, 'build', 'Release', 'better_sqlite3.node');
  if (r.status !== 0 || !existsSync(built)) {
    const tail = `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').slice(-25).join('\n');
    rmSync(work, { recursive: true, force: true });
    throw new Error(`cross-compiling better-sqlite3 for ${target.id} failed:\n${tail}`);
  }
  if (which(`${p}-strip`)) execFileSync(`${p}-strip`, ['--strip-unneeded', built]);
  mkdirSync(dirname(out), { recursive: true });
  copyFileSync(built, `${out}.tmp-${process.pid}`);
  renameSync(`${out}.tmp-${process.pid}`, out);
  rmSync(work, { recursive: true, force: true });
  say(
    `pack: better-sqlite3 for ${target.id} built in ${Math.round((Date.now() - started) / 1000)} s -> ${out}`,
  );
  return out;
}

/** Highest GLIBC_x.y symbol version a binary needs (objdump -T), or undefined when objdump cannot tell. */
export function glibcFloor(file: string, target: PackTarget): string | undefined {
  const objdump = [target.crossPrefix ? `${target.crossPrefix}-objdump` : undefined, 'objdump'].find(
    (c) => c && which(c),
  );
  if (!objdump) return undefined;
  const r = spawnSync(objdump, ['-T', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) return undefined;
  const versions = [...r.stdout.matchAll(/GLIBC_(\d+)\.(\d+)(?:\.(\d+))?/g)].map((m) => [
    Number(m[1]),
    Number(m[2]),
    Number(m[3] ?? 0),
  ]);
  if (versions.length === 0) return undefined;
  versions.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!);
  const [major, minor, patch] = versions.at(-1)!;
  return patch ? `${major}.${minor}.${patch}` : `${major}.${minor}`;
}

/** Files of a directory tree, relative, sorted. */
export function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) return filesUnder(dir, rel);
      return [rel];
    })
    .sort();
}
