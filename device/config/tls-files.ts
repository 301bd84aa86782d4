import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { basename } from 'node:path';
import { createSecureContext } from 'node:tls';
import { ThrumError } from '../../shared/errors.js';
import { quotePath } from '../../shared/printable.js';
import type { Config } from './load-config.js';
import { readBounded } from './read-bounded.js';

// The TLS files parsed the way the daemon's TLS stack will use them, so a file that is not PEM, a key that is
// not the certificate's, or an encrypted key fails `--check-config` and `thrum run` with one line naming the
// key, instead of an OpenSSL stack trace from inside mqtt.js at the first connect.

/** Largest PEM file read (a CA bundle of a few hundred certificates fits). */
const MAX_PEM_BYTES = 1024 * 1024;
const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

export interface TlsWarning {
  event: string;
  message: string;
}

/** Throws BAD_CONFIG for an unusable mqtt.ca / mqtt.cert / mqtt.key; returns warnings (expired certificates). */
export function checkTlsFiles(config: Config, now = Date.now()): TlsWarning[] {
  const { mqtt } = config;
  const bad = (key: string, detail: string) =>
    new ThrumError('BAD_CONFIG', `${basename(config.file)}: mqtt.${key}: ${detail}; see docs/config.md`);
  const read = (key: string, path: string): string => {
    let text: string | undefined;
    try {
      text = readBounded(path, MAX_PEM_BYTES);
    } catch {
      throw bad(key, `${quotePath(path)} is not readable`);
    }
    if (text === undefined) throw bad(key, `${quotePath(path)} is not a regular file of at most 1 MiB`);
    return text;
  };
  const certificates = (key: string, path: string): X509Certificate[] => {
    const blocks = read(key, path).match(PEM_CERT) ?? [];
    if (blocks.length === 0) {
      throw bad(
        key,
        `${quotePath(path)} holds no PEM certificate (-----BEGIN CERTIFICATE-----); give the PEM file, not DER or a key`,
      );
    }
    return blocks.map((block, i) => {
      try {
        return new X509Certificate(block);
      } catch (err) {
        throw bad(
          key,
          `certificate ${i + 1} in ${quotePath(path)} does not parse (${firstLine(err)}); give a valid PEM certificate`,
        );
      }
    });
  };

  const warnings: TlsWarning[] = [];
  const expiry = (key: string, path: string, cert: X509Certificate) => {
    if (Date.parse(cert.validTo) < now) {
      warnings.push({
        event: 'config.certificate-expired',
        message: `mqtt.${key}: the certificate in ${quotePath(path)} expired on ${cert.validTo}; the broker will refuse the connection: renew it`,
      });
    }
  };
  if (mqtt.ca !== undefined) for (const cert of certificates('ca', mqtt.ca)) expiry('ca', mqtt.ca, cert);
  let key: KeyObject | undefined;
  if (mqtt.key !== undefined) {
    const pem = read('key', mqtt.key);
    try {
      key = createPrivateKey(pem);
    } catch (err) {
      const why = /passphrase/i.test(firstLine(err))
        ? 'is encrypted (needs a passphrase); give an unencrypted key readable only by the daemon (chmod 600)'
        : `is not a PEM private key (${firstLine(err)})`;
      throw bad('key', `${quotePath(mqtt.key)} ${why}`);
    }
  }
  if (mqtt.cert !== undefined) {
    const [cert] = certificates('cert', mqtt.cert);
    expiry('cert', mqtt.cert, cert!);
    if (key !== undefined && !cert!.checkPrivateKey(key)) {
      throw bad(
        'key',
        `${quotePath(mqtt.key!)} is not the private key of the certificate in mqtt.cert ${quotePath(mqtt.cert)}; give the key the certificate was issued for`,
      );
    }
  }
  // What mqtt.js hands to node:tls at connect: whatever else OpenSSL refuses fails here, not at the first connect.
  try {
    createSecureContext({
      ...(mqtt.ca ? { ca: read('ca', mqtt.ca) } : {}),
      ...(mqtt.cert ? { cert: read('cert', mqtt.cert) } : {}),
      ...(mqtt.key ? { key: read('key', mqtt.key) } : {}),
    });
  } catch (err) {
    throw bad(mqtt.key ? 'key' : mqtt.cert ? 'cert' : 'ca', `TLS refuses these files: ${firstLine(err)}`);
  }
  return warnings;
}

function firstLine(err: unknown): string {
  const text = (err instanceof Error ? err.message : String(err)).split(/\r?\n/)[0]!;
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
