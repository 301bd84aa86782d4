// Key files on disk: `thrum keys create` writes a pair, signing reads the private half, devices read public
// halves. The private key is written 0600 and never overwritten, and a private key that others can read is
// refused (as ssh does): whoever can read it can sign bundles every device trusts.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  writeSync,
} from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { ThrumError } from '../errors.js';
import { keyIdOf, privateKeyFromPem, publicKeyFromPem, type TrustedKey } from './keys.js';

export interface CreatedKey {
  keyId: string;
  privatePath: string;
  publicPath: string;
}

/** Writes `<dir>/<name>.key` (PKCS#8 PEM, mode 0600) and `<dir>/<name>.pub` (SPKI PEM); refuses to overwrite. */
export function createKeyPair(dir: string, name: string): CreatedKey {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new ThrumError(
      'BAD_USAGE',
      `--name ${JSON.stringify(name)}: use letters, digits, '.', '_' and '-' (it names the .key and .pub files)`,
    );
  }
  const privatePath = join(dir, `${name}.key`);
  const publicPath = join(dir, `${name}.pub`);
  for (const path of [privatePath, publicPath]) {
    if (existsSync(path)) {
      throw new ThrumError(
        'BAD_USAGE',
        `${path} exists; thrum never overwrites a key (bundles signed with it would stop verifying): choose another --name or --out`,
      );
    }
  }
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new ThrumError('BAD_USAGE', `--out ${dir}: cannot create the directory (${(e as Error).message})`, {
      cause: e,
    });
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writeNew(privatePath, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, 0o600);
  writeNew(publicPath, publicKey.export({ type: 'spki', format: 'pem' }) as string, 0o644);
  return { keyId: keyIdOf(publicKey), privatePath, publicPath };
}

/** Creates the file (never replaces one: 'wx') with its final mode from the start, so no moment is world-readable. */
function writeNew(path: string, text: string, mode: number): void {
  let fd: number;
  try {
    fd = openSync(path, 'wx', mode);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'EEXIST' ? 'it exists' : (e as Error).message;
    throw new ThrumError('BAD_USAGE', `cannot create ${path} (${why}); choose another --name or --out`, {
      cause: e,
    });
  }
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Reads the signing key of `--key`: a private Ed25519 PEM that only its owner can read. */
export function readPrivateKeyFile(path: string): KeyObject {
  const text = readKeyText(path, '--key', 'BAD_USAGE');
  const key = privateKeyFromPem(text, path);
  if (process.platform !== 'win32') {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new ThrumError(
        'BAD_USAGE',
        `${path}: the private key is readable by others (mode ${mode.toString(8).padStart(4, '0')}); run \`chmod 600 ${path}\``,
      );
    }
  }
  return key;
}

/**
 * One entry of `model.trustedKeys`: inline PEM text, or the path of a .pub file (relative to the config file's
 * directory). `at` names the entry in messages, e.g. `thrum.yaml: model.trustedKeys[1]`.
 */
export function readTrustedKey(entry: string, baseDir: string, at: string): TrustedKey {
  if (entry.includes('-----BEGIN')) return publicKeyFromPem(entry, `${at} (inline PEM)`);
  const path = isAbsolute(entry) ? entry : resolve(baseDir, entry);
  return publicKeyFromPem(readKeyText(path, at, 'BAD_CONFIG'), `${at}: ${path}`);
}

function readKeyText(path: string, at: string, code: 'BAD_USAGE' | 'BAD_CONFIG'): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const errno = (e as NodeJS.ErrnoException).code;
    const why =
      errno === 'ENOENT' ? 'no such file' : errno === 'EACCES' ? 'permission denied' : String(errno);
    throw new ThrumError(code, `${at}: cannot read key file ${path} (${why})`, { cause: e });
  }
}
