import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { sha256File } from '../../../../shared/bundle/files.js';
import { createKeyPair } from '../../../../shared/bundle/key-files.js';
import { syntheticVibration } from '../../../fixtures/synthetic-vibration.js';

// Signed bundles end to end, through the real CLI: `thrum keys create`, `thrum train --sign`, `thrum sign`, and
// `thrum run` (with and without --check-config) accepting the bundle with its key trusted and refusing every
// tampering with exit 2 and one line saying why. Without trusted keys an unsigned bundle loads, and the golden
// self-test still catches an edited threshold or edited golden scores.

const ROOT = resolve(import.meta.dirname, '../../../..');
const dir = mkdtempSync(join(tmpdir(), 'thrum-signed-bundle-'));
// Every spawn loads tsx (and the daemon ONNX Runtime); on a shared 2-core machine that takes seconds.
const SPAWN_MS = 90_000;
let bundle: string;
let keyId: string;
let publicKey: string;

function thrum(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/thrum.js'), ...args], {
    encoding: 'utf8',
    cwd: dir,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  const samples = syntheticVibration({ seconds: 30, sampleRate: 800, channels: 3 });
  const rows = ['x,y,z'];
  for (let i = 0; i < samples.length; i += 3) rows.push(`${samples[i]},${samples[i + 1]},${samples[i + 2]}`);
  writeFileSync(join(dir, 'healthy.csv'), `${rows.join('\n')}\n`);

  const created = thrum('keys', 'create', '--out', join(dir, 'keys'));
  expect(created.stderr).toBe('');
  expect(created.code).toBe(0);
  keyId = /key id\s+([0-9a-f]{16})/.exec(created.stdout)![1]!;
  publicKey = join(dir, 'keys', 'signing.pub');
  expect(statSync(join(dir, 'keys', 'signing.key')).mode & 0o777).toBe(0o600);

  bundle = join(dir, 'bundle');
  const trained = thrum(
    'train',
    ...['--data', 'healthy.csv', '--sample-rate', '800', '--window', '64', '--hop', '32'],
    ...['--features', 'spectrum,stats', '--bands', '8', '--model', 'pca', '--no-report'],
    ...['--sign', join(dir, 'keys', 'signing.key'), '--out', bundle],
  );
  expect(trained.code, trained.stderr).toBe(0);
  expect(trained.stdout).toContain(`signed      key ${keyId} (signature.json)`);
  expect(trained.stdout).toMatch(/golden {6}8 normal \+ 8 anomalous windows \(samples\)/);
}, 2 * SPAWN_MS);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let configs = 0;
function config(bundleDir: string, trustedKeys: string[]): string {
  const file = join(dir, `thrum-${configs++}.yaml`);
  writeFileSync(
    file,
    stringify({
      device: { id: 'signed-1' },
      serial: { path: '/dev/ttyUSB9', baudRate: 921600, channels: 3, sampleRate: 800 },
      model: { bundle: bundleDir, variant: 'int8', trustedKeys },
      mqtt: { url: 'mqtt://127.0.0.1:1' },
      outbox: { path: join(dir, 'outbox.db') },
    }),
  );
  return file;
}

let copies = 0;
/** A copy of the trained bundle after `tamper` changed it. */
function copy(tamper: (b: string) => void | Promise<void> = () => {}): Promise<string> {
  const b = join(dir, `copy-${copies++}`);
  cpSync(bundle, b, { recursive: true });
  return Promise.resolve(tamper(b)).then(() => b);
}

// biome-ignore lint/suspicious/noExplicitAny: the tests edit the manifest as plain JSON on purpose
function editJson(path: string, edit: (json: any) => void): void {
  const json = JSON.parse(readFileSync(path, 'utf8'));
  edit(json);
  writeFileSync(path, JSON.stringify(json, null, 2));
}

/** Recomputes a file's entry in manifest.json, as someone covering their tracks would. */
async function rehash(b: string, field: 'int8' | 'golden'): Promise<void> {
  const m = JSON.parse(readFileSync(join(b, 'manifest.json'), 'utf8'));
  const path = join(b, m.files[field].path);
  const sha256 = await sha256File(path);
  editJson(join(b, 'manifest.json'), (json) => {
    json.files[field] = { ...json.files[field], sha256, bytes: statSync(path).size };
  });
}

const thresholdTo1e9 = (b: string) =>
  editJson(join(b, 'manifest.json'), (m) => {
    m.variants.int8.threshold = 1e9;
  });

function expectRefused(r: ReturnType<typeof thrum>, why: RegExp): void {
  expect(r.code, r.stdout).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(why);
}

describe('thrum train --sign', () => {
  it(
    'refuses a public key as the signing key before training, naming the file',
    () => {
      const r = thrum(
        'train',
        '--data',
        'healthy.csv',
        '--sample-rate',
        '800',
        '--sign',
        publicKey,
        '--out',
        join(dir, 'never'),
      );
      expectRefused(r, /^thrum: .*signing\.pub is a public key; signing needs the private key/);
      expect(existsSync(join(dir, 'never'))).toBe(false);
    },
    SPAWN_MS,
  );
});

describe('signed bundles through thrum run', () => {
  it(
    'accepts the signed bundle with its key trusted, printing the key id and the self-test',
    async () => {
      const r = thrum('run', '--config', config(bundle, [publicKey]), '--check-config');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(
        `signature  verified: signed by key ${keyId} (one of 1 in model.trustedKeys)`,
      );
      expect(r.stdout).toMatch(
        /self-test {2}int8 pass on this machine: 16 golden windows, max relative error 0 \(tolerance 0\.0001\)/,
      );
    },
    SPAWN_MS,
  );

  const tamperings: Array<[string, (b: string) => void | Promise<void>, RegExp]> = [
    [
      'an unsigned bundle',
      (b) => rmSync(join(b, 'signature.json')),
      /^thrum: bundle refused: .*signature\.json: missing; the bundle is not signed/,
    ],
    [
      'a manifest edited after signing (threshold 1e9)',
      thresholdTo1e9,
      /manifest\.json: changed after it was signed/,
    ],
    [
      'a foreign model with its sha256 recomputed in the manifest',
      async (b) => {
        writeFileSync(join(b, 'model.int8.onnx'), readFileSync(join(b, 'model.onnx')));
        await rehash(b, 'int8');
      },
      /manifest\.json: changed after it was signed/,
    ],
  ];
  it.each(tamperings)(
    'refuses %s with exit 2 and one line naming why',
    async (_what, tamper, why) => {
      expectRefused(thrum('run', '--config', config(await copy(tamper), [publicKey]), '--check-config'), why);
    },
    SPAWN_MS,
  );

  it(
    'refuses a bundle signed by a key it does not trust, naming that key',
    async () => {
      const other = createKeyPair(join(dir, 'other-keys'), 'other');
      const r = thrum('run', '--config', config(bundle, [other.publicPath]), '--check-config');
      expectRefused(
        r,
        new RegExp(`signed by key ${keyId}, which is not in model\\.trustedKeys \\(${other.keyId}\\)`),
      );
    },
    SPAWN_MS,
  );

  it(
    'refuses a tampered bundle at start too, before opening the outbox',
    async () => {
      const r = thrum('run', '--config', config(await copy(thresholdTo1e9), [publicKey]));
      expectRefused(r, /manifest\.json: changed after it was signed/);
      expect(existsSync(join(dir, 'outbox.db'))).toBe(false);
    },
    SPAWN_MS,
  );

  it(
    'thrum sign moves a bundle to a new key; with both keys trusted (a rotation) it is accepted',
    async () => {
      const next = createKeyPair(join(dir, 'next-keys'), 'next');
      const b = await copy((c) => rmSync(join(c, 'signature.json')));
      const signed = thrum('sign', b, '--key', next.privatePath);
      expect(signed.code, signed.stderr).toBe(0);
      expect(signed.stdout).toMatch(
        new RegExp(`signed thrum-\\S+ with key ${next.keyId}: .*signature\\.json`),
      );
      const r = thrum('run', '--config', config(b, [publicKey, next.publicPath]), '--check-config');
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain(`verified: signed by key ${next.keyId} (one of 2 in model.trustedKeys)`);
    },
    2 * SPAWN_MS,
  );
});

describe('without trusted keys: unsigned bundles load, the self-test still guards them', () => {
  it(
    'loads an unsigned bundle, saying it is unsigned',
    async () => {
      const b = await copy((c) => rmSync(join(c, 'signature.json')));
      const r = thrum('run', '--config', config(b, []), '--check-config');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(
        /signature {2}unsigned \(the bundle has no signature\.json\); it loads because model\.trustedKeys is empty/,
      );
    },
    SPAWN_MS,
  );

  it(
    'refuses an unsigned bundle whose threshold was edited to 1e9 (the golden anomalous windows fall below it)',
    async () => {
      const b = await copy(thresholdTo1e9);
      const r = thrum('run', '--config', config(b, []), '--check-config');
      expectRefused(
        r,
        /refused: int8 self-test failed: variants\.int8\.threshold 1000000000 is above 8 of 8 golden anomalous windows/,
      );
    },
    SPAWN_MS,
  );

  it(
    'refuses an unsigned bundle whose golden scores were edited, even with the hash recomputed',
    async () => {
      const b = await copy(async (c) => {
        editJson(join(c, 'golden.json'), (g) => {
          g.windows[0].expected.int8 *= 1.5;
        });
        await rehash(c, 'golden');
      });
      const r = thrum('run', '--config', config(b, []), '--check-config');
      expectRefused(
        r,
        /self-test failed: golden window 0 \(normal\) scores \S+ on this machine's int8 engine, the bundle expects/,
      );
    },
    SPAWN_MS,
  );
});
