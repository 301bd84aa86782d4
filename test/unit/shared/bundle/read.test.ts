import { createHash } from 'node:crypto';
import {
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { modelFileEntry, sha256File } from '../../../../shared/bundle/files.js';
import { readBundle } from '../../../../shared/bundle/read.js';
import { writeManifest } from '../../../../shared/bundle/write.js';
import { ThrumError } from '../../../../shared/errors.js';
import { makeBundle, manifestFor } from './bundle-fixture.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function bundle() {
  const b = await makeBundle();
  dirs.push(b.dir);
  return b;
}

/** Rewrites manifest.json after `edit` changed its parsed JSON (no validation: we want broken ones). */
// biome-ignore lint/suspicious/noExplicitAny: the tests write wrong types into the manifest on purpose
function editManifest(dir: string, edit: (json: Record<string, any>) => void): void {
  const path = join(dir, 'manifest.json');
  const json = JSON.parse(readFileSync(path, 'utf8'));
  edit(json);
  writeFileSync(path, JSON.stringify(json));
}

async function failure(promise: Promise<unknown>): Promise<ThrumError> {
  const e = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ThrumError);
  return e as ThrumError;
}

describe('readBundle', () => {
  it('reads back what writeManifest wrote and points at the verified model files', async () => {
    const { dir, manifest } = await bundle();
    const b = await readBundle(dir);
    expect(b.manifest).toEqual(manifest);
    expect(b.dir).toBe(dir);
    expect(b.manifestPath).toBe(join(dir, 'manifest.json'));
    expect(b.modelPath('fp32')).toBe(join(dir, 'model.onnx'));
    expect(b.modelPath('int8')).toBe(join(dir, 'model.int8.onnx'));
  });

  it('accepts the path of manifest.json instead of the directory', async () => {
    const { dir } = await bundle();
    expect((await readBundle(join(dir, 'manifest.json'))).dir).toBe(dir);
  });

  it('refuses a model file with one byte changed, naming the file and the manifest field', async () => {
    const { dir } = await bundle();
    const path = join(dir, 'model.int8.onnx');
    const bytes = readFileSync(path);
    bytes[100] ^= 0x01;
    writeFileSync(path, bytes);
    const e = await failure(readBundle(dir));
    expect(e.code).toBe('BUNDLE_HASH_MISMATCH');
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain(path);
    expect(e.message).toContain('files.int8.sha256');
    expect(e.message).toMatch(/copy the bundle again or re-run `thrum train`/);
  });

  it('refuses a model file of the wrong length before hashing it', async () => {
    const { dir } = await bundle();
    const path = join(dir, 'model.onnx');
    writeFileSync(path, Buffer.concat([readFileSync(path), Buffer.from([0])]));
    const e = await failure(readBundle(dir));
    expect(e.code).toBe('BUNDLE_HASH_MISMATCH');
    expect(e.message).toContain(`${path}: 4097 bytes but manifest.json files.fp32.bytes says 4096`);
  });

  it('refuses a bundle whose model file is missing', async () => {
    const { dir } = await bundle();
    unlinkSync(join(dir, 'model.onnx'));
    const e = await failure(readBundle(dir));
    expect(e.code).toBe('BAD_BUNDLE');
    expect(e.message).toContain(join(dir, 'model.onnx'));
    expect(e.message).toContain('files.fp32');
  });

  it('says where the manifest should be when it is missing, and how to get one', async () => {
    const { dir } = await bundle();
    unlinkSync(join(dir, 'manifest.json'));
    const e = await failure(readBundle(dir));
    expect(e.code).toBe('BAD_BUNDLE');
    expect(e.message).toMatch(/manifest\.json: not found/);
    expect(e.message).toContain('thrum train');
  });

  it('says so when the directory does not exist, or is a file', async () => {
    const { dir } = await bundle();
    const e1 = await failure(readBundle(join(dir, 'nope')));
    expect(e1.message).toMatch(/nope not found/);
    const e2 = await failure(readBundle(join(dir, 'model.onnx')));
    expect(e2.message).toMatch(/model\.onnx is a file, not a bundle/);
  });

  it('refuses a manifest that is not JSON', async () => {
    const { dir } = await bundle();
    writeFileSync(join(dir, 'manifest.json'), '{"schemaVersion": 1,');
    const e = await failure(readBundle(dir));
    expect(e.code).toBe('BAD_BUNDLE');
    expect(e.message).toMatch(/manifest\.json: not valid JSON/);
  });

  it('names a missing field', async () => {
    const { dir } = await bundle();
    editManifest(dir, (m) => {
      delete m.model.inputName;
    });
    const e = await failure(readBundle(dir));
    expect(e.code).toBe('BAD_BUNDLE');
    expect(e.message).toContain('manifest.json: model.inputName: missing; expected a non-empty string');
    expect(e.message).toContain('re-run `thrum train`');
  });

  it('names a field of the wrong type and shows what it holds', async () => {
    const { dir } = await bundle();
    editManifest(dir, (m) => {
      m.sampleRate = 'fast';
      m.files.int8.sha256 = 'abc';
    });
    const e = await failure(readBundle(dir));
    expect(e.message).toContain('sampleRate: expected a positive number, got "fast"');
    expect(e.message).toContain(
      'files.int8.sha256: expected 64 lowercase hex characters (sha256), got "abc"',
    );
  });

  it('refuses another schema version with a fix that fits the direction', async () => {
    const { dir } = await bundle();
    editManifest(dir, (m) => {
      m.schemaVersion = 2;
    });
    const e = await failure(readBundle(dir));
    expect(e.message).toMatch(/schemaVersion 2 is not supported \(this thrum reads 1\); upgrade thrum/);
  });

  it('refuses parts that disagree: channel count, model input size, normalization length', async () => {
    const { dir } = await bundle();
    editManifest(dir, (m) => {
      m.channelNames = ['x', 'y'];
      m.normalization.channelStd = [1, 1];
    });
    const e1 = await failure(readBundle(dir));
    expect(e1.code).toBe('BAD_BUNDLE');
    expect(e1.message).toContain('channelNames lists 2 names but features.channels is 3');
    expect(e1.message).toContain('normalization.channelStd has 2 values, expected 3');

    const { dir: dir2, manifest } = await bundle();
    editManifest(dir2, (m) => {
      m.model.inputSize += 1;
      m.normalization.featureMean.pop();
    });
    const e2 = await failure(readBundle(dir2));
    const size = manifest.model.inputSize;
    expect(e2.message).toContain(
      `model.inputSize is ${size + 1} but the feature spec makes ${size} features`,
    );
    expect(e2.message).toContain(`normalization.featureMean has ${size - 1} values, expected ${size}`);
  });

  it('refuses reference quantiles of unequal length and a detector with k > n', async () => {
    const { dir } = await bundle();
    editManifest(dir, (m) => {
      m.variants.int8.reference.scores.push(9);
      m.detector.k = 6;
    });
    const e = await failure(readBundle(dir));
    expect(e.message).toContain('variants.int8.reference: probs has 3 values but scores has 4');
    expect(e.message).toContain('detector.k (6) is larger than detector.n (5)');
  });

  it('refuses a feature spec the extractor rejects, naming features', async () => {
    const { dir } = await bundle();
    editManifest(dir, (m) => {
      m.features.spectrum.maxHz = 5000; // above Nyquist for 1000 Hz
    });
    const e = await failure(readBundle(dir));
    expect(e.code).toBe('BAD_BUNDLE');
    expect(e.message).toMatch(/manifest\.json: features: .*maxHz/);
  });

  it('refuses model paths that leave the bundle directory', async () => {
    const { dir } = await bundle();
    editManifest(dir, (m) => {
      m.files.fp32.path = '../../etc/passwd';
    });
    const e = await failure(readBundle(dir));
    expect(e.message).toContain('files.fp32.path "../../etc/passwd" points outside the bundle directory');
  });

  it('verifies every file the manifest lists, and offers only the variants asked for', async () => {
    const { dir } = await bundle();
    const b = await readBundle(dir, { variants: ['int8'] });
    expect(b.modelPath('int8')).toBe(join(dir, 'model.int8.onnx'));
    expect(() => b.modelPath('fp32')).toThrow(/not verified/);
    // A swapped fp32 file is found even when only int8 will run: "hashes verified" covers the whole bundle.
    writeFileSync(join(dir, 'model.onnx'), 'damaged');
    await expect(readBundle(dir, { variants: ['int8'] })).rejects.toThrow(
      /model\.onnx: .*files\.fp32\.bytes/,
    );
  });

  it('refuses a model file that is a symbolic link, and one over the size bound', async () => {
    const { dir } = await bundle();
    renameSync(join(dir, 'model.onnx'), join(dir, 'real.onnx'));
    symlinkSync(join(dir, 'real.onnx'), join(dir, 'model.onnx'));
    const e = await failure(readBundle(dir));
    expect(e.code).toBe('BAD_BUNDLE');
    expect(e.message).toMatch(/model\.onnx: is a symbolic link .*copy the real file/);
    editManifest(dir, (m) => {
      m.files.int8.bytes = 300 * 1024 * 1024;
    });
    expect((await failure(readBundle(dir))).message).toMatch(
      /files\.int8\.bytes: a model file is at most 268435456 bytes \(256 MiB\), got 314572800/,
    );
  });
});

describe('writeManifest', () => {
  it('refuses an invalid or inconsistent manifest and writes nothing', async () => {
    const { dir, manifest } = await bundle();
    unlinkSync(join(dir, 'manifest.json'));
    const bad = { ...manifest, bundleId: '' };
    await expect(writeManifest(dir, bad)).rejects.toThrow(
      /invalid manifest\.json: bundleId: expected a non-empty string/,
    );
    const inconsistent = { ...manifest, model: { ...manifest.model, inputSize: 1 } };
    await expect(writeManifest(dir, inconsistent)).rejects.toThrow(
      /inconsistent manifest\.json: model\.inputSize/,
    );
    expect(readdirSync(dir).sort()).toEqual(['model.int8.onnx', 'model.onnx']);
  });

  it('writes readable, indented JSON', async () => {
    const { dir } = await bundle();
    const text = readFileSync(join(dir, 'manifest.json'), 'utf8');
    expect(text).toMatch(/^{\n {2}"schemaVersion": 1,\n/);
    expect(text.endsWith('\n')).toBe(true);
  });
});

describe('sha256File and modelFileEntry', () => {
  it('hashes the file contents', async () => {
    const { dir } = await bundle();
    const path = join(dir, 'abc.bin');
    writeFileSync(path, 'abc');
    // FIPS 180-2 test vector for "abc".
    expect(await sha256File(path)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    writeFileSync(path, big);
    expect(await sha256File(path)).toBe(createHash('sha256').update(big).digest('hex'));
  });

  it('builds the manifest entry of a file in the bundle', async () => {
    const { dir } = await bundle();
    writeFileSync(join(dir, 'extra.onnx'), Buffer.alloc(10, 1));
    const entry = await modelFileEntry(dir, 'extra.onnx');
    expect(entry).toEqual({
      path: 'extra.onnx',
      bytes: 10,
      sha256: createHash('sha256').update(Buffer.alloc(10, 1)).digest('hex'),
    });
    expect(manifestFor({ fp32: entry, int8: entry }).files.fp32).toBe(entry);
  });
});
