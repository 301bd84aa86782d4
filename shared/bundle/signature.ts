// Detached bundle signatures. `signature.json` holds an Ed25519 signature over the canonical form of
// manifest.json (canonical-json.ts); the manifest lists the sha256 of every file the device loads, so one
// signature covers the whole bundle. The reader checks the signature before it believes anything the
// manifest says, then the hashes. Nothing here throws for a bad bundle: verifyBundle returns why, so the
// device can refuse it at start and a future update path can refuse a pushed bundle and keep the old one.
import { createHash, type KeyObject, sign, verify } from 'node:crypto';
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { canonicalJson } from './canonical-json.js';
import { sha256File, staysInside } from './files.js';
import { keyIdOf, type TrustedKey } from './keys.js';
import { MANIFEST_FILE } from './read.js';

export const SIGNATURE_FILE = 'signature.json';

export const signatureSchema = z.object({
  alg: z.literal('ed25519'),
  /** keyIdOf() the signing key: which trusted key to check with. */
  keyId: z.string().regex(/^[0-9a-f]{16}$/, 'expected 16 lowercase hex digits'),
  /** Base64 Ed25519 signature (64 bytes) over the UTF-8 bytes of canonicalJson(manifest). */
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'expected a base64 Ed25519 signature (88 characters)'),
  signedAt: z.string().datetime(),
  /**
   * sha256 of the signed canonical manifest. Not part of the proof (anyone can recompute it): it only lets the
   * verifier say "the manifest changed after signing" rather than "the signature is wrong".
   */
  manifestSha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type BundleSignature = z.infer<typeof signatureSchema>;

export interface BundleVerification {
  /** The signature verified against one of the trusted keys (one that could not be checked counts as unsigned). */
  signed: boolean;
  /** The key id signature.json names, when it names one (also when that key is not trusted). */
  keyId?: string;
  /**
   * The bundle may be loaded: with trusted keys, signed by one of them and every listed file intact; without,
   * every listed file intact (an unsigned bundle is allowed, a damaged one never).
   */
  ok: boolean;
  /** Why it is refused; or, when ok but unsigned, why it counts as unsigned. Names the file and the fix. */
  reason?: string;
  /**
   * What failed: manifest.json unreadable, the signature (missing, foreign, or not matching), or a listed file
   * (missing, damaged). Lets a caller retry a copy on `files` but drop a bundle on `signature`.
   */
  failed?: 'manifest' | 'signature' | 'files';
}

/** The UTF-8 bytes a signature covers: the canonical form of the parsed manifest.json. */
export function signedBytes(manifest: unknown): Buffer {
  return Buffer.from(canonicalJson(manifest), 'utf8');
}

/**
 * Signs the bundle in `dir` as its manifest.json stands on disk and writes signature.json (atomically, replacing
 * an older signature). Check the bundle (readBundle) before: a signature vouches for what it covers.
 */
export async function signBundle(
  dir: string,
  privateKey: KeyObject,
  now = new Date(),
): Promise<BundleSignature> {
  const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as unknown;
  const bytes = signedBytes(manifest);
  const signature: BundleSignature = {
    alg: 'ed25519',
    keyId: keyIdOf(privateKey),
    signature: sign(null, bytes, privateKey).toString('base64'),
    signedAt: now.toISOString(),
    manifestSha256: sha256(bytes),
  };
  const path = join(dir, SIGNATURE_FILE);
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(signature, null, 2)}\n`);
  await rename(tmp, path);
  return signature;
}

/**
 * Checks a bundle directory against the trusted keys: the signature over manifest.json, then the size and
 * sha256 of every file the manifest lists. The manifest is taken as raw JSON (not through the schema), so the
 * signature also covers fields this version of thrum does not know.
 */
export async function verifyBundle(
  dir: string,
  trustedKeys: readonly TrustedKey[],
): Promise<BundleVerification> {
  const manifestPath = join(dir, MANIFEST_FILE);
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  } catch (e) {
    const reason = `${manifestPath}: cannot read it (${(e as Error).message})`;
    return { signed: false, ok: false, failed: 'manifest', reason };
  }
  const signature = await readSignature(dir);
  const keyId = signature.value?.keyId;
  const trust = checkSignature(manifest, signature, trustedKeys, manifestPath);
  if (!trust.ok) return { signed: false, keyId, ok: false, failed: 'signature', reason: trust.reason };
  const damaged = await damagedFile(dir, manifest);
  if (damaged) return { signed: trust.signed, keyId, ok: false, failed: 'files', reason: damaged };
  return { signed: trust.signed, keyId, ok: true, reason: trust.reason };
}

type SignatureRead =
  | { state: 'absent'; value?: undefined; path: string }
  | { state: 'invalid'; value?: undefined; path: string; problem: string }
  | { state: 'present'; value: BundleSignature; path: string };

async function readSignature(dir: string): Promise<SignatureRead> {
  const path = join(dir, SIGNATURE_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'absent', path };
    return { state: 'invalid', path, problem: (e as Error).message };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { state: 'invalid', path, problem: `not valid JSON (${(e as Error).message})` };
  }
  const parsed = signatureSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { state: 'invalid', path, problem: `${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  return { state: 'present', value: parsed.data, path };
}

const SIGN_IT = 'sign it on the build machine (`thrum sign BUNDLE --key KEY`, or `thrum train --sign KEY`)';

function checkSignature(
  manifest: unknown,
  signature: SignatureRead,
  trustedKeys: readonly TrustedKey[],
  manifestPath: string,
): { ok: boolean; signed: boolean; reason?: string } {
  if (trustedKeys.length === 0) {
    const why =
      signature.state === 'absent'
        ? `the bundle has no ${SIGNATURE_FILE}`
        : `model.trustedKeys is empty, so ${SIGNATURE_FILE} was not checked`;
    return { ok: true, signed: false, reason: why };
  }
  if (signature.state === 'absent') {
    return {
      ok: false,
      signed: false,
      reason: `${signature.path}: missing; the bundle is not signed and model.trustedKeys requires a signature: ${SIGN_IT}`,
    };
  }
  if (signature.state === 'invalid') {
    return { ok: false, signed: false, reason: `${signature.path}: ${signature.problem}; ${SIGN_IT}` };
  }
  const { keyId } = signature.value;
  const trusted = trustedKeys.find((k) => k.keyId === keyId);
  if (!trusted) {
    const known = trustedKeys.map((k) => k.keyId).join(', ');
    return {
      ok: false,
      signed: false,
      reason: `${signature.path}: signed by key ${keyId}, which is not in model.trustedKeys (${known}); add its .pub to model.trustedKeys or re-sign with a trusted key`,
    };
  }
  const bytes = signedBytes(manifest);
  if (verify(null, bytes, trusted.key, Buffer.from(signature.value.signature, 'base64'))) {
    return { ok: true, signed: true };
  }
  const reason =
    sha256(bytes) !== signature.value.manifestSha256
      ? `${manifestPath}: changed after it was signed (the signature by key ${keyId} no longer matches); copy the bundle again from its source, or re-sign it if the change was yours`
      : `${signature.path}: the signature does not verify with key ${keyId} (${trusted.source}); the file is corrupt or forged: copy the bundle again from its source`;
  return { ok: false, signed: false, reason };
}

/** The first file the manifest lists whose size or sha256 differs, as a message; undefined when all match. */
async function damagedFile(dir: string, manifest: unknown): Promise<string | undefined> {
  const files = (manifest as { files?: unknown } | null)?.files;
  if (files === null || typeof files !== 'object') return `${join(dir, MANIFEST_FILE)}: no files section`;
  for (const [name, entry] of Object.entries(files as Record<string, unknown>)) {
    const {
      path,
      sha256: expected,
      bytes,
    } = (entry ?? {}) as { path?: unknown; sha256?: unknown; bytes?: unknown };
    const field = `${MANIFEST_FILE} files.${name}`;
    if (typeof path !== 'string' || typeof expected !== 'string' || typeof bytes !== 'number') {
      return `${join(dir, MANIFEST_FILE)}: files.${name} needs path, sha256 and bytes`;
    }
    if (!staysInside(path))
      return `${join(dir, MANIFEST_FILE)}: files.${name}.path "${path}" points outside the bundle`;
    const file = join(dir, path);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return `${file}: missing (listed as ${field}); copy the whole bundle directory`;
    if (info.size !== bytes || (await sha256File(file)) !== expected) {
      return `${file}: does not match ${field} (size or sha256); the file is damaged or was replaced: copy the bundle again`;
    }
  }
  return undefined;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
