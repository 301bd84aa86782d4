import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256File } from '../../../../shared/bundle/files.js';
import { createKeyPair, readPrivateKeyFile, readTrustedKey } from '../../../../shared/bundle/key-files.js';
import { publicKeyFromPem, type TrustedKey } from '../../../../shared/bundle/keys.js';
import { SIGNATURE_FILE, signBundle, verifyBundle } from '../../../../shared/bundle/signature.js';
import { makeBundle } from './bundle-fixture.js';

const root = mkdtempSync(join(tmpdir(), 'thrum-signature-'));
let original: string;
const keys: Record<'old' | 'new' | 'foreign', { trusted: TrustedKey; privatePath: string }> = {} as never;

beforeAll(async () => {
  original = (await makeBundle()).dir;
  for (const name of ['old', 'new', 'foreign'] as const) {
    const created = createKeyPair(join(root, 'keys'), name);
    keys[name] = {
      trusted: readTrustedKey(created.publicPath, root, `model.trustedKeys (${name})`),
      privatePath: created.privatePath,
    };
  }
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(original, { recursive: true, force: true });
});

let copies = 0;
/** A fresh copy of the fixture bundle, signed with `key` (or not). */
async function bundle(key: 'old' | 'new' | 'foreign' | 'unsigned'): Promise<string> {
  const dir = join(root, `bundle-${copies++}`);
  cpSync(original, dir, { recursive: true });
  if (key !== 'unsigned') await signBundle(dir, readPrivateKeyFile(keys[key].privatePath));
  return dir;
}

const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
const writeManifestJson = (dir: string, m: unknown, indent = 2) =>
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m, null, indent));

describe('signBundle / verifyBundle', () => {
  it('accepts a bundle signed by a trusted key and names the key', async () => {
    const dir = await bundle('new');
    const sig = JSON.parse(readFileSync(join(dir, SIGNATURE_FILE), 'utf8'));
    expect(sig).toMatchObject({ alg: 'ed25519', keyId: keys.new.trusted.keyId });
    expect(Buffer.from(sig.signature, 'base64')).toHaveLength(64);
    expect(await verifyBundle(dir, [keys.new.trusted])).toEqual({
      signed: true,
      keyId: keys.new.trusted.keyId,
      ok: true,
    });
  });

  it('still verifies after the manifest is re-saved with other whitespace and key order', async () => {
    const dir = await bundle('new');
    const m = manifestOf(dir);
    const reordered = Object.fromEntries(Object.entries(m).reverse());
    writeManifestJson(dir, reordered, 0);
    expect((await verifyBundle(dir, [keys.new.trusted])).ok).toBe(true);
  });

  it('refuses a manifest edited after signing (threshold 1e9), saying so', async () => {
    const dir = await bundle('new');
    const m = manifestOf(dir);
    m.variants.int8.threshold = 1e9;
    writeManifestJson(dir, m);
    const v = await verifyBundle(dir, [keys.new.trusted]);
    expect(v).toMatchObject({ ok: false, signed: false, failed: 'signature', keyId: keys.new.trusted.keyId });
    expect(v.reason).toMatch(/manifest\.json: changed after it was signed/);
  });

  it('refuses a foreign model whose sha256 was recomputed into the manifest', async () => {
    const dir = await bundle('new');
    const model = join(dir, 'model.int8.onnx');
    writeFileSync(model, Buffer.from('a model from somewhere else'));
    const m = manifestOf(dir);
    m.files.int8 = { ...m.files.int8, sha256: await sha256File(model), bytes: statSync(model).size };
    writeManifestJson(dir, m);
    const v = await verifyBundle(dir, [keys.new.trusted]);
    expect(v).toMatchObject({ ok: false, failed: 'signature' });
    expect(v.reason).toMatch(/changed after it was signed/);
  });

  it('refuses a model file swapped without touching the manifest, naming the file', async () => {
    const dir = await bundle('new');
    writeFileSync(join(dir, 'model.onnx'), Buffer.from('swapped'));
    const v = await verifyBundle(dir, [keys.new.trusted]);
    expect(v).toMatchObject({ ok: false, signed: true, failed: 'files' });
    expect(v.reason).toMatch(/model\.onnx: does not match manifest\.json files\.fp32/);
  });

  it('refuses a bundle signed by a key that is not trusted, naming both key ids', async () => {
    const dir = await bundle('foreign');
    const v = await verifyBundle(dir, [keys.new.trusted]);
    expect(v).toMatchObject({
      ok: false,
      signed: false,
      failed: 'signature',
      keyId: keys.foreign.trusted.keyId,
    });
    expect(v.reason).toContain(
      `signed by key ${keys.foreign.trusted.keyId}, which is not in model.trustedKeys (${keys.new.trusted.keyId})`,
    );
  });

  it('accepts either key during a rotation (two trusted keys)', async () => {
    const trusted = [keys.old.trusted, keys.new.trusted];
    const byOld = await verifyBundle(await bundle('old'), trusted);
    const byNew = await verifyBundle(await bundle('new'), trusted);
    expect(byOld).toMatchObject({ ok: true, signed: true, keyId: keys.old.trusted.keyId });
    expect(byNew).toMatchObject({ ok: true, signed: true, keyId: keys.new.trusted.keyId });
    // Once the old key is dropped, its bundles are refused.
    expect((await verifyBundle(await bundle('old'), [keys.new.trusted])).ok).toBe(false);
  });

  it('re-signing replaces the signature (moving a bundle to the new key)', async () => {
    const dir = await bundle('old');
    await signBundle(dir, readPrivateKeyFile(keys.new.privatePath));
    expect(await verifyBundle(dir, [keys.new.trusted])).toMatchObject({
      ok: true,
      keyId: keys.new.trusted.keyId,
    });
  });

  it('refuses a forged signature (right key id, wrong bytes)', async () => {
    const dir = await bundle('new');
    const path = join(dir, SIGNATURE_FILE);
    const sig = JSON.parse(readFileSync(path, 'utf8'));
    const bytes = Buffer.from(sig.signature, 'base64');
    bytes[0] ^= 1;
    writeFileSync(path, JSON.stringify({ ...sig, signature: bytes.toString('base64') }));
    const v = await verifyBundle(dir, [keys.new.trusted]);
    expect(v).toMatchObject({ ok: false, failed: 'signature' });
    expect(v.reason).toMatch(/signature\.json: the signature does not verify with key [0-9a-f]{16}/);
  });

  it('refuses a malformed signature.json, naming the field', async () => {
    const dir = await bundle('new');
    const path = join(dir, SIGNATURE_FILE);
    writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), alg: 'rsa' }));
    const v = await verifyBundle(dir, [keys.new.trusted]);
    expect(v).toMatchObject({ ok: false, failed: 'signature' });
    expect(v.reason).toMatch(/signature\.json: alg: /);
  });

  it('with trusted keys, refuses an unsigned bundle and says how to sign it', async () => {
    const v = await verifyBundle(await bundle('unsigned'), [keys.new.trusted]);
    expect(v).toMatchObject({ ok: false, signed: false, failed: 'signature' });
    expect(v.reason).toMatch(
      /signature\.json: missing; the bundle is not signed .*`thrum sign BUNDLE --key KEY`/,
    );
  });

  it('without trusted keys, lets an unsigned or unverifiable bundle load as unsigned, but never a damaged one', async () => {
    expect(await verifyBundle(await bundle('unsigned'), [])).toEqual({
      signed: false,
      ok: true,
      reason: 'the bundle has no signature.json',
    });
    const signed = await verifyBundle(await bundle('new'), []);
    expect(signed).toMatchObject({ signed: false, ok: true, keyId: keys.new.trusted.keyId });
    expect(signed.reason).toMatch(/model\.trustedKeys is empty, so signature\.json was not checked/);
    const damaged = await bundle('unsigned');
    writeFileSync(join(damaged, 'model.int8.onnx'), 'x');
    expect(await verifyBundle(damaged, [])).toMatchObject({ ok: false, failed: 'files' });
  });
});

describe('key files', () => {
  it('writes the private key 0600 and the public key 0644, and prints neither', () => {
    const created = createKeyPair(join(root, 'perm'), 'k');
    expect(statSync(created.privatePath).mode & 0o777).toBe(0o600);
    expect(statSync(created.publicPath).mode & 0o777).toBe(0o644);
    expect(readFileSync(created.privatePath, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(created.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(readTrustedKey(created.publicPath, root, 'k').keyId).toBe(created.keyId);
  });

  it('never overwrites a key', () => {
    const dir = join(root, 'again');
    const first = createKeyPair(dir, 'k');
    const before = readFileSync(first.privatePath, 'utf8');
    expect(() => createKeyPair(dir, 'k')).toThrow(/k\.key exists; thrum never overwrites a key/);
    expect(readFileSync(first.privatePath, 'utf8')).toBe(before);
    expect(() => createKeyPair(dir, '../escape')).toThrow(/--name "\.\.\/escape": use letters/);
  });

  it('refuses a private key others can read, with the chmod to run', () => {
    const created = createKeyPair(join(root, 'open'), 'k');
    chmodSync(created.privatePath, 0o644);
    expect(() => readPrivateKeyFile(created.privatePath)).toThrow(
      /the private key is readable by others \(mode 0644\); run `chmod 600 .*k\.key`/,
    );
  });

  it('explains a key file of the wrong kind, never quoting it', () => {
    const created = createKeyPair(join(root, 'kinds'), 'k');
    const privatePem = readFileSync(created.privatePath, 'utf8');
    const body = privatePem.split('\n')[1]!;
    // A public key where the private one belongs, and the other way round.
    expect(() => readPrivateKeyFile(created.publicPath)).toThrow(
      /k\.pub is a public key; signing needs the private key/,
    );
    let message = '';
    try {
      readTrustedKey(created.privatePath, root, 'thrum.yaml: model.trustedKeys[0]');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/model\.trustedKeys\[0\]: .*k\.key is a private key; give the public key/);
    expect(message).not.toContain(body);
    // Inline, the same.
    expect(() => readTrustedKey(privatePem, root, 'model.trustedKeys[1]')).toThrow(
      /model\.trustedKeys\[1\] \(inline PEM\) is a private key/,
    );
    // Another algorithm, and not a key at all.
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    expect(() => publicKeyFromPem(rsa as string, 'rsa.pub')).toThrow(
      /rsa\.pub is an rsa key; bundle signatures are Ed25519/,
    );
    const notes = join(root, 'kinds', 'notes.txt');
    writeFileSync(notes, 'hello');
    expect(() => readTrustedKey(notes, root, 'model.trustedKeys[2]')).toThrow(/is not a PEM public key/);
    expect(() => readTrustedKey('missing.pub', root, 'model.trustedKeys[3]')).toThrow(
      /model\.trustedKeys\[3\]: cannot read key file .*missing\.pub \(no such file\)/,
    );
  });

  it('reads an inline PEM public key and resolves a relative path against the config directory', () => {
    const created = createKeyPair(join(root, 'inline'), 'k');
    const pem = readFileSync(created.publicPath, 'utf8');
    expect(readTrustedKey(pem, '/nowhere', 'inline').keyId).toBe(created.keyId);
    expect(readTrustedKey('inline/k.pub', root, 'relative').keyId).toBe(created.keyId);
  });
});
