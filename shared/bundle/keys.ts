// Ed25519 keys for bundle signatures, from PEM text: what `thrum keys create` writes (PKCS#8 private key, SPKI
// public key). Every error names where the key came from and what to give instead; none quotes the key text,
// so a private key pasted in the wrong place never reaches a log or a terminal.
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { ThrumError, type ThrumErrorCode } from '../errors.js';

/** A public key the device accepts bundle signatures from. */
export interface TrustedKey {
  keyId: string;
  key: KeyObject;
  /** Where it came from (a file path or `model.trustedKeys[1] (inline)`), for messages. */
  source: string;
}

const CREATE = 'create one with `thrum keys create --out DIR`';

/**
 * The key id: the first 16 hex digits (64 bits) of the sha256 of the raw 32-byte public key. Short enough to
 * read out, long enough that two keys of one fleet never share it; it only selects the key, the signature
 * check itself uses the whole key.
 */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

/** An Ed25519 private key from PEM text (`--key` of `thrum train --sign` and `thrum sign`). */
export function privateKeyFromPem(
  text: string,
  source: string,
  code: ThrumErrorCode = 'BAD_USAGE',
): KeyObject {
  const header = pemLabel(text);
  if (header === 'PUBLIC KEY') {
    throw new ThrumError(
      code,
      `${source} is a public key; signing needs the private key (the .key file \`thrum keys create\` wrote, not the .pub)`,
    );
  }
  if (header === 'ENCRYPTED PRIVATE KEY') {
    throw new ThrumError(
      code,
      `${source} is an encrypted private key; thrum reads unencrypted PKCS#8 keys kept at mode 0600: ${CREATE}`,
    );
  }
  if (header === undefined || !header.endsWith('PRIVATE KEY')) {
    throw new ThrumError(
      code,
      `${source} is not a PEM private key (no -----BEGIN PRIVATE KEY----- line): ${CREATE}`,
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(text);
  } catch (e) {
    throw new ThrumError(code, `${source}: cannot read the private key (${cryptoReason(e)}): ${CREATE}`, {
      cause: e,
    });
  }
  requireEd25519(key, source, code);
  return key;
}

/** An Ed25519 public key from PEM text (an entry of `model.trustedKeys`). */
export function publicKeyFromPem(
  text: string,
  source: string,
  code: ThrumErrorCode = 'BAD_CONFIG',
): TrustedKey {
  const header = pemLabel(text);
  if (header?.endsWith('PRIVATE KEY')) {
    throw new ThrumError(
      code,
      `${source} is a private key; give the public key (the .pub file of \`thrum keys create\`): the private key must stay on the machine that signs`,
    );
  }
  if (header !== 'PUBLIC KEY') {
    throw new ThrumError(
      code,
      `${source} is not a PEM public key (expected a -----BEGIN PUBLIC KEY----- block, the .pub file of \`thrum keys create\`)`,
    );
  }
  let key: KeyObject;
  try {
    key = createPublicKey(text);
  } catch (e) {
    throw new ThrumError(code, `${source}: cannot read the public key (${cryptoReason(e)})`, { cause: e });
  }
  requireEd25519(key, source, code);
  return { keyId: keyIdOf(key), key, source };
}

function requireEd25519(key: KeyObject, source: string, code: ThrumErrorCode): void {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new ThrumError(
      code,
      `${source} is an ${key.asymmetricKeyType ?? 'unknown'} key; bundle signatures are Ed25519: ${CREATE}`,
    );
  }
}

/** The label of the first PEM block (`PUBLIC KEY`, `PRIVATE KEY`, ...), or undefined when there is none. */
function pemLabel(text: string): string | undefined {
  return /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text)?.[1];
}

/** OpenSSL's reason without anything of the input. */
function cryptoReason(e: unknown): string {
  const { code, message } = e as { code?: string; message?: string };
  return code ?? message?.split('\n')[0] ?? 'unreadable';
}
