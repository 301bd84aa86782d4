// Opens a model bundle directory: parses manifest.json, checks that its parts agree, and verifies every
// model file against its sha256. Anything wrong is a ThrumError that names the file and field and says
// what to do; the device refuses to start on it (exit 2).
import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ThrumError } from '../errors.js';
import { printable, quotePath } from '../printable.js';
import { zodErrorMessage } from '../zod-errors.js';
import { manifestProblems } from './consistency.js';
import { sha256File, staysInside } from './files.js';
import {
  MANIFEST_SCHEMA_VERSION,
  type Manifest,
  MODEL_VARIANTS,
  type ModelVariant,
  manifestSchema,
} from './manifest.js';

export const MANIFEST_FILE = 'manifest.json';
const RETRAIN = 're-run `thrum train` to write a new bundle';

export interface Bundle {
  manifest: Manifest;
  /** Absolute path of the bundle directory. */
  dir: string;
  manifestPath: string;
  /** Absolute path of a variant's verified ONNX file. */
  modelPath(variant: ModelVariant): string;
  /** Absolute path of the verified golden.json, when the bundle has one (files.golden). */
  goldenPath?: string;
}

export interface ReadBundleOptions {
  /**
   * Model variants the caller will run (default both); modelPath() offers only these. Every file the manifest
   * lists is verified whatever this says: "hashes verified" must not hide a swapped file of the other variant.
   */
  variants?: readonly ModelVariant[];
}

/** Largest manifest.json read (a real one is a few KiB: normalization and reference quantiles). */
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/** `dir` may also be the path of the bundle's manifest.json. */
export async function readBundle(dir: string, opts: ReadBundleOptions = {}): Promise<Bundle> {
  const bundleDir = await locateDir(resolve(dir));
  const manifestPath = join(bundleDir, MANIFEST_FILE);
  const manifest = parseManifest(manifestPath, await readManifestText(manifestPath));

  const problems = manifestProblems(manifest);
  if (problems.length > 0) {
    throw new ThrumError('BAD_BUNDLE', `${manifestPath}: ${problems.join('; ')}; ${RETRAIN}`);
  }

  const variants = opts.variants ?? MODEL_VARIANTS;
  const realDir = await realpath(bundleDir);
  for (const variant of MODEL_VARIANTS) await verifyModelFile(realDir, manifestPath, manifest, variant);
  // The golden windows decide whether the device trusts its own engine, so they are verified like a model.
  if (manifest.files.golden) await verifyModelFile(realDir, manifestPath, manifest, 'golden');

  return {
    manifest,
    dir: bundleDir,
    manifestPath,
    ...(manifest.files.golden ? { goldenPath: join(bundleDir, manifest.files.golden.path) } : {}),
    modelPath(variant) {
      if (!variants.includes(variant)) {
        throw new Error(`readBundle: the ${variant} model was not verified (options.variants)`);
      }
      return join(bundleDir, manifest.files[variant].path);
    },
  };
}

async function locateDir(path: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  if (!info) {
    throw new ThrumError(
      'BAD_BUNDLE',
      `bundle ${path} not found: give the directory \`thrum train\` wrote (it holds ${MANIFEST_FILE})`,
    );
  }
  if (info.isDirectory()) return path;
  if (basename(path) === MANIFEST_FILE) return dirname(path);
  if (path.endsWith('.tar')) {
    throw new ThrumError(
      'BAD_BUNDLE',
      `${path}: .tar bundles are not read directly yet: unpack it (tar -xf) and give the directory`,
    );
  }
  throw new ThrumError(
    'BAD_BUNDLE',
    `${path} is a file, not a bundle: give the directory that holds ${MANIFEST_FILE}`,
  );
}

async function readManifestText(manifestPath: string): Promise<string> {
  try {
    const info = await stat(manifestPath);
    if (info.isFile() && info.size > MAX_MANIFEST_BYTES) {
      throw new ThrumError(
        'BAD_BUNDLE',
        `${manifestPath}: ${info.size} bytes, more than a manifest can be (${MAX_MANIFEST_BYTES}); ${RETRAIN}`,
      );
    }
    if (!info.isFile()) throw new ThrumError('BAD_BUNDLE', `${manifestPath}: not a regular file; ${RETRAIN}`);
    return await readFile(manifestPath, 'utf8');
  } catch (e) {
    if (e instanceof ThrumError) throw e;
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (e as Error).message;
    throw new ThrumError('BAD_BUNDLE', `${manifestPath}: ${why}; this is not a complete bundle: ${RETRAIN}`, {
      cause: e,
    });
  }
}

function parseManifest(manifestPath: string, text: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ThrumError(
      'BAD_BUNDLE',
      // JSON.parse quotes the text it choked on: shortened and escaped, so the message stays one line.
      `${manifestPath}: not valid JSON (${printable((e as Error).message.slice(0, 200))}); ${RETRAIN}`,
      {
        cause: e,
      },
    );
  }
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version !== MANIFEST_SCHEMA_VERSION) {
    const fix = version > MANIFEST_SCHEMA_VERSION ? 'upgrade thrum on this machine, or ' : '';
    throw new ThrumError(
      'BAD_BUNDLE',
      `${manifestPath}: schemaVersion ${version} is not supported (this thrum reads ${MANIFEST_SCHEMA_VERSION}); ${fix}${RETRAIN}`,
    );
  }
  const result = manifestSchema.safeParse(json);
  if (!result.success) {
    const detail = zodErrorMessage(result.error, { input: json, schema: manifestSchema });
    throw new ThrumError('BAD_BUNDLE', `${manifestPath}: ${detail}; ${RETRAIN}`, { cause: result.error });
  }
  return result.data;
}

async function verifyModelFile(
  dir: string,
  manifestPath: string,
  m: Manifest,
  file: keyof Manifest['files'],
) {
  const entry = m.files[file]!;
  const field = `files.${file}`;
  if (!staysInside(entry.path)) {
    throw new ThrumError(
      'BAD_BUNDLE',
      `${manifestPath}: ${field}.path ${quotePath(entry.path)} points outside the bundle directory; ${RETRAIN}`,
    );
  }
  const path = join(dir, entry.path);
  // The manifest names the file: whatever characters it holds must not break the message's line.
  const shown = printable(path);
  const info = await lstat(path).catch(() => undefined);
  // A link could point at /dev/zero, a FIFO or a file outside the bundle: the bundle holds its files itself.
  const real = info ? await realpath(path).catch(() => undefined) : undefined;
  if (info?.isSymbolicLink() || (real !== undefined && real !== path)) {
    throw new ThrumError(
      'BAD_BUNDLE',
      `${shown}: is a symbolic link (or under one); a bundle holds its model files: copy the real file there (cp -L)`,
    );
  }
  if (!info?.isFile()) {
    throw new ThrumError(
      'BAD_BUNDLE',
      `${shown}: ${file === 'golden' ? 'golden windows' : 'model file'} missing (listed as ${field} in ${MANIFEST_FILE}); copy the whole bundle directory or ${RETRAIN}`,
    );
  }
  const damaged = 'the file is damaged or was changed after training: copy the bundle again or';
  if (info.size !== entry.bytes) {
    throw new ThrumError(
      'BUNDLE_HASH_MISMATCH',
      `${shown}: ${info.size} bytes but ${MANIFEST_FILE} ${field}.bytes says ${entry.bytes}; ${damaged} ${RETRAIN}`,
    );
  }
  const actual = await sha256File(path);
  if (actual !== entry.sha256) {
    throw new ThrumError(
      'BUNDLE_HASH_MISMATCH',
      `${shown}: sha256 ${actual.slice(0, 12)}… does not match ${MANIFEST_FILE} ${field}.sha256 ` +
        `${entry.sha256.slice(0, 12)}…; ${damaged} ${RETRAIN}`,
    );
  }
}
