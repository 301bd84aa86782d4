// Whether the daemon may trust the bundle's origin: the model.trustedKeys of the config against the bundle's
// signature.json (shared/bundle/signature.ts). With trusted keys a bundle that is unsigned, signed by another
// key or changed after signing is refused (exit 2); without, it loads and the daemon says it is unsigned
// (log `bundle.unsigned`, health flag `bundleUnsigned`, `signed: false` in status).
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readTrustedKey } from '../shared/bundle/key-files.js';
import type { TrustedKey } from '../shared/bundle/keys.js';
import { MANIFEST_FILE } from '../shared/bundle/read.js';
import { verifyBundle } from '../shared/bundle/signature.js';
import { ThrumError } from '../shared/errors.js';
import type { Config } from './config/load-config.js';

export interface BundleTrust {
  /** The signature verified against a trusted key. */
  signed: boolean;
  /** The key that signed it (verified when `signed`). */
  keyId?: string;
  /** How many keys model.trustedKeys holds. */
  trustedKeys: number;
  /** Why the bundle counts as unsigned (when it does). */
  unsignedReason?: string;
}

/** The public keys of model.trustedKeys; BAD_CONFIG naming the entry when one is not an Ed25519 public key. */
export function loadTrustedKeys(config: Config): TrustedKey[] {
  const keys = config.model.trustedKeys.map((entry, i) =>
    readTrustedKey(entry, dirname(config.file), `${basename(config.file)}: model.trustedKeys[${i}]`),
  );
  return keys.filter((k, i) => keys.findIndex((other) => other.keyId === k.keyId) === i);
}

/**
 * Checks the bundle's signature against model.trustedKeys; throws BAD_SIGNATURE (exit 2) with the reason when
 * the bundle must be refused. Damaged or missing files are left to readBundle, which runs next and names them
 * with their manifest field.
 */
export async function checkBundleTrust(config: Config): Promise<BundleTrust> {
  const keys = loadTrustedKeys(config);
  const path = config.model.bundle;
  const dir = basename(path) === MANIFEST_FILE ? dirname(path) : path;
  if (!existsSync(join(dir, MANIFEST_FILE))) {
    // readBundle says what is wrong with the path (missing, a file, a .tar).
    return { signed: false, trustedKeys: keys.length, unsignedReason: `no ${MANIFEST_FILE}` };
  }
  const v = await verifyBundle(dir, keys);
  if (!v.ok && v.failed === 'signature') {
    throw new ThrumError('BAD_SIGNATURE', `bundle refused: ${v.reason}`);
  }
  return {
    signed: v.signed,
    ...(v.keyId !== undefined ? { keyId: v.keyId } : {}),
    trustedKeys: keys.length,
    ...(v.signed ? {} : { unsignedReason: v.reason }),
  };
}
