import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import {
  betterSqlite3Binary,
  filesUnder,
  glibcFloor,
  type NativeBuildOptions,
  targetNode,
} from './native-builds.js';
import { type PackTarget, packTarget } from './targets.js';

const REPO = resolve(import.meta.dirname, '..', '..');

/**
 * Packages that stay real packages next to the bundle: they carry native binaries (or the .wasm) found by path.
 * Everything else the device commands import is bundled into lib/ by esbuild.
 */
const EXTERNAL = [
  'onnxruntime-node',
  'onnxruntime-web',
  'better-sqlite3',
  '@serialport/bindings-cpp',
] as const;
/** Dependencies used only while installing or building, never at run time. */
const INSTALL_ONLY = new Set(['prebuild-install', 'node-addon-api', 'adm-zip', 'global-agent']);
/** onnxruntime-web's dist/ is 136 MB of builds; the node entry, the single-thread SIMD glue and its .wasm do. */
const ORT_WEB_KEEP = [
  'package.json',
  'LICENSE',
  'dist/ort.node.min.mjs',
  'dist/ort.node.min.js',
  'dist/ort-wasm-simd-threaded.mjs',
  'dist/ort-wasm-simd-threaded.wasm',
];

export interface PackOptions {
  target: string;
  /** Output directory (default .thrum/pack). */
  out?: string;
  withNode?: boolean;
  /** Version string (default <package.json version>-<8 hex of the content>). */
  version?: string;
  /** Cross-built artefacts (default .thrum/pack-cache, or THRUM_PACK_CACHE). */
  cacheDir?: string;
  say?: (line: string) => void;
}

export interface PackResult {
  target: PackTarget;
  version: string;
  /** The unpacked tree (kept next to the tarball). */
  dir: string;
  tarball: string;
  tarballBytes: number;
  treeBytes: number;
  /** Highest GLIBC_ version each native binary needs. */
  glibc: Record<string, string | undefined>;
  /** False when an identical package already existed and was reused. */
  built: boolean;
}

/** Builds the self-contained device package for one target: `thrum pack --target ...`. */
export async function pack(options: PackOptions): Promise<PackResult> {
  const target = packTarget(options.target);
  const say = options.say ?? (() => {});
  const out = resolve(options.out ?? join(REPO, '.thrum', 'pack'));
  const cacheDir = resolve(
    options.cacheDir ?? process.env.THRUM_PACK_CACHE ?? join(REPO, '.thrum', 'pack-cache'),
  );
  const native: NativeBuildOptions = { root: REPO, cacheDir, say };
  mkdirSync(out, { recursive: true });
  const stage = join(out, `.stage-${target.id}-${process.pid}`);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  try {
    const pkgVersion = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string })
      .version;
    await bundleCli(stage);
    copyExternals(stage, target, native);
    writeAssets(stage);
    if (options.withNode) {
      const node = targetNode(target, native);
      mkdirSync(join(stage, 'node', 'bin'), { recursive: true });
      copyFileSync(node, join(stage, 'node', 'bin', 'node'));
      chmodSync(join(stage, 'node', 'bin', 'node'), 0o755);
      const license = join(dirname(dirname(node)), 'LICENSE');
      if (existsSync(license)) copyFileSync(license, join(stage, 'node', 'LICENSE'));
    }
    const contentId = sha256(manifestOf(stage)).slice(0, 8);
    const version = options.version ?? `${pkgVersion}-${contentId}`;
    for (const f of readdirSync(join(stage, 'lib'))) {
      const p = join(stage, 'lib', f);
      writeFileSync(p, readFileSync(p, 'utf8').replaceAll(VERSION_PLACEHOLDER, version));
    }
    writeFileSync(join(stage, 'VERSION'), `${version}\n`);
    writeFileSync(join(stage, 'TARGET'), `${target.id}\n`);
    writeFileSync(join(stage, 'MANIFEST'), manifestOf(stage));

    const name = `thrum-${version}-${target.id}${options.withNode ? '-node' : ''}`;
    const dir = join(out, name);
    const tarball = `${dir}.tgz`;
    const glibc = glibcFloors(stage, target);
    const built = !(
      existsSync(tarball) &&
      existsSync(join(dir, 'MANIFEST')) &&
      readFileSync(join(dir, 'MANIFEST'), 'utf8') === readFileSync(join(stage, 'MANIFEST'), 'utf8')
    );
    if (built) {
      rmSync(dir, { recursive: true, force: true });
      renameSync(stage, dir);
      const tmp = `${tarball}.tmp-${process.pid}`;
      execFileSync('tar', ['czf', tmp, '--owner=0', '--group=0', '--numeric-owner', '-C', out, name]);
      renameSync(tmp, tarball);
    }
    return {
      target,
      version,
      dir,
      tarball,
      tarballBytes: statSync(tarball).size,
      treeBytes: filesUnder(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0),
      glibc,
      built,
    };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

const VERSION_PLACEHOLDER = '__THRUM_PACK_VERSION__';

/** The device commands (cli/device-main.ts) as compiled ESM in lib/: thrum.mjs and lazily loaded chunks. */
async function bundleCli(stage: string): Promise<void> {
  const esbuild = await import('esbuild');
  await esbuild.build({
    absWorkingDir: REPO,
    entryPoints: { thrum: 'cli/device-main.ts' },
    outdir: join(stage, 'lib'),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    // Chunks: onnxruntime-node must stay behind its dynamic import (it loads its binary when imported, and
    // armv7 has none); one file would hoist that import to the top.
    splitting: true,
    chunkNames: 'chunk-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: [...EXTERNAL, ...EXTERNAL.map((e) => `${e}/*`)],
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'none',
    define: { 'globalThis.__THRUM_VERSION__': JSON.stringify(VERSION_PLACEHOLDER) },
    // CommonJS packages inside an ES module bundle still call require() for Node's built-ins.
    banner: {
      js: "import { createRequire as __thrumRequire } from 'node:module'; const require = __thrumRequire(import.meta.url);",
    },
    logLevel: 'error',
  });
}

/** The external packages and their run-time dependencies, pruned to what the target runs. */
function copyExternals(stage: string, target: PackTarget, native: NativeBuildOptions): void {
  const modules = join(REPO, 'node_modules');
  const seen = new Set<string>();
  const queue: { name: string; from: string }[] = EXTERNAL.map((name) => ({ name, from: modules }));
  // armv7: onnxruntime-node has no binary there; leaving it out makes the auto engine pick wasm at once.
  if (!target.ortBinDir)
    queue.splice(
      queue.findIndex((q) => q.name === 'onnxruntime-node'),
      1,
    );
  if (!target.wasm)
    queue.splice(
      queue.findIndex((q) => q.name === 'onnxruntime-web'),
      1,
    );
  while (queue.length > 0) {
    const { name, from } = queue.shift()!;
    const dir = resolvePackageDir(name, from);
    const rel = relative(modules, dir);
    if (seen.has(rel)) continue;
    seen.add(rel);
    const dest = join(stage, 'node_modules', rel);
    copyPackage(name, dir, dest, target, native);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    // onnxruntime-web's node entry has its dependencies bundled in, except onnxruntime-common.
    const deps = name === 'onnxruntime-web' ? ['onnxruntime-common'] : Object.keys(pkg.dependencies ?? {});
    for (const dep of deps) if (!INSTALL_ONLY.has(dep)) queue.push({ name: dep, from: dir });
  }
}

/** Node's lookup: <from>/node_modules/<name>, then up the tree. */
function resolvePackageDir(name: string, from: string): string {
  let dir = from;
  for (;;) {
    const candidate = dir.endsWith('node_modules') ? join(dir, name) : join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find package ${name} from ${from}`);
    dir = up;
  }
}

function copyPackage(
  name: string,
  dir: string,
  dest: string,
  target: PackTarget,
  native: NativeBuildOptions,
): void {
  const keep = (rel: string): boolean => {
    if (rel.endsWith('.map') || rel.endsWith('.d.ts') || rel.endsWith('.d.mts') || rel.endsWith('.d.cts'))
      return false;
    if (rel.startsWith('node_modules/')) return false;
    switch (name) {
      case 'onnxruntime-node':
        return (
          rel === 'package.json' ||
          rel === 'LICENSE' ||
          (rel.startsWith('dist/') && rel.endsWith('.js')) ||
          rel.startsWith(`bin/napi-v6/${target.ortBinDir}/`)
        );
      case 'onnxruntime-web':
        return ORT_WEB_KEEP.includes(rel);
      case 'better-sqlite3':
        return rel === 'package.json' || rel === 'LICENSE' || rel.startsWith('lib/');
      case '@serialport/bindings-cpp': {
        if (rel.startsWith('prebuilds/')) {
          const [, platform, file] = rel.split('/');
          return (
            platform === target.serialportPrebuild.dir && target.serialportPrebuild.keep.test(file ?? '')
          );
        }
        return rel === 'package.json' || rel === 'LICENSE' || rel.startsWith('dist/');
      }
      default:
        return (
          (!/^(test|tests|docs|examples?|benchmarks?|\.github)\//.test(rel) &&
            !/\.(md|markdown|ts)$/i.test(rel)) ||
          /^license/i.test(rel)
        );
    }
  };
  for (const rel of filesUnder(dir)) {
    if (!keep(rel)) continue;
    mkdirSync(dirname(join(dest, rel)), { recursive: true });
    copyFileSync(join(dir, rel), join(dest, rel));
  }
  if (name === 'better-sqlite3') {
    const binary = betterSqlite3Binary(target, native);
    mkdirSync(join(dest, 'build', 'Release'), { recursive: true });
    copyFileSync(binary, join(dest, 'build', 'Release', 'better_sqlite3.node'));
  }
}

/** bin/thrum, install.sh, the systemd unit and the config template. */
function writeAssets(stage: string): void {
  const assets = join(REPO, 'tools', 'pack', 'assets');
  mkdirSync(join(stage, 'bin'), { recursive: true });
  copyFileSync(join(assets, 'thrum.sh'), join(stage, 'bin', 'thrum'));
  chmodSync(join(stage, 'bin', 'thrum'), 0o755);
  copyFileSync(join(assets, 'install.sh'), join(stage, 'install.sh'));
  chmodSync(join(stage, 'install.sh'), 0o755);
  copyFileSync(join(REPO, 'docs', 'systemd', 'thrum.service'), join(stage, 'thrum.service'));
  copyFileSync(join(assets, 'thrum.yaml.template'), join(stage, 'thrum.yaml.template'));
  mkdirSync(join(stage, 'docs'), { recursive: true });
  copyFileSync(join(REPO, 'docs', 'config.md'), join(stage, 'docs', 'config.md'));
}

/** `sha256sum -c` format: `<hex>  <path>` for every file but MANIFEST itself. */
function manifestOf(dir: string): string {
  return filesUnder(dir)
    .filter((f) => f !== 'MANIFEST')
    .map((f) => `${sha256(readFileSync(join(dir, f)))}  ${f}\n`)
    .join('');
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function glibcFloors(stage: string, target: PackTarget): Record<string, string | undefined> {
  const floors: Record<string, string | undefined> = {};
  for (const f of filesUnder(stage)) {
    if (f.endsWith('.node') || /\.so(\.\d+)*$/.test(f) || f === 'node/bin/node')
      floors[f] = glibcFloor(join(stage, f), target);
  }
  return floors;
}

export function describePack(r: PackResult): string {
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
  const floors = Object.entries(r.glibc)
    .filter(([, v]) => v)
    .map(([f, v]) => `    glibc >= ${v}  ${f}`);
  return [
    `${r.built ? 'packed' : 'reused'} ${relative(process.cwd(), r.tarball) || r.tarball} (${mb(r.tarballBytes)}; ${mb(r.treeBytes)} unpacked) for ${r.target.id}`,
    ...(floors.length ? ['  native binaries need:', ...floors] : []),
    `  on the device: tar xzf ${r.tarball.split('/').pop()} && sudo ./${r.dir.split('/').pop()}/install.sh`,
  ].join('\n');
}
