import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openModel } from '../../../../device/daemon/model.js';
import { modelFileEntry } from '../../../../shared/bundle/files.js';
import { encodeGolden } from '../../../../shared/bundle/golden.js';
import { createKeyPair, readPrivateKeyFile } from '../../../../shared/bundle/key-files.js';
import type { Manifest } from '../../../../shared/bundle/manifest.js';
import { signBundle } from '../../../../shared/bundle/signature.js';
import { writeManifest } from '../../../../shared/bundle/write.js';
import { fakeEngine } from '../../runtime/scoring/fake-engine.js';
import { makeBundle } from '../../shared/bundle/bundle-fixture.js';
import { makeConfig } from './fake-daemon.js';
import { RecordingLog } from './fakes.js';

// openModel's load-time checks: the signature against model.trustedKeys (already in checkBundle, so before any
// engine opens) and the golden self-test on the engine it opened. Engines are fakes that reconstruct zeros, so
// a golden feature vector of constant value v scores v^2; the fixture's thresholds are 1.5.

const root = mkdtempSync(join(tmpdir(), 'thrum-model-trust-'));
let base: string;
let manifest: Manifest;
let key: ReturnType<typeof createKeyPair>;
let copies = 0;
beforeAll(async () => {
  ({ dir: base, manifest } = await makeBundle());
  key = createKeyPair(join(root, 'keys'), 'k');
});
afterAll(() => {
  rmSync(base, { recursive: true, force: true });
  rmSync(root, { recursive: true, force: true });
});

/** A copy of the fixture bundle, optionally with golden windows (expected scores edited by `edit`) and signed. */
async function bundle(o: { golden?: boolean; editExpected?: number; sign?: boolean } = {}): Promise<string> {
  const dir = join(root, `copy-${copies++}`);
  cpSync(base, dir, { recursive: true });
  if (o.golden) {
    const size = manifest.model.inputSize;
    const window = (label: 'normal' | 'anomalous', v: number) => ({
      label,
      values: new Float32Array(size).fill(v),
      expected: { fp32: v * v, int8: v * v * (o.editExpected ?? 1) },
    });
    writeFileSync(
      join(dir, 'golden.json'),
      encodeGolden({ input: 'features', size, windows: [window('normal', 1), window('anomalous', 2)] }),
    );
    await writeManifest(dir, {
      ...manifest,
      files: { ...manifest.files, golden: await modelFileEntry(dir, 'golden.json') },
    });
  }
  if (o.sign) await signBundle(dir, readPrivateKeyFile(key.privatePath));
  return dir;
}

async function open(dir: string, trustedKeys: string[] = []) {
  const log = new RecordingLog();
  const engines: ReturnType<typeof fakeEngine>[] = [];
  const config = makeConfig('csv', { model: { bundle: dir, variant: 'int8', trustedKeys } });
  const model = openModel(
    config,
    () => async () => {
      const engine = fakeEngine(manifest.model.inputSize, () => 0);
      engines.push(engine);
      return engine;
    },
    log,
  );
  return { model, log, engines };
}

describe('openModel: signature and self-test at load', () => {
  it('loads an unsigned bundle without trusted keys, warns bundle.unsigned and notes the skipped self-test', async () => {
    const { model, log } = await open(await bundle());
    expect((await model).provenance).toEqual({ signed: false, selfTest: 'skipped' });
    expect(log.events('bundle.unsigned')).toHaveLength(1);
    expect(log.events('bundle.unsigned')[0]).toMatchObject({ level: 'warn', fields: { bundleId: 'b-test' } });
    expect(log.events('bundle.self-test')[0]!.fields).toMatchObject({ skipped: true });
  });

  it('runs the self-test on the opened engine and reports it', async () => {
    const { model, log } = await open(await bundle({ golden: true }));
    expect((await model).provenance).toEqual({ signed: false, selfTest: { maxRelError: 0, windows: 2 } });
    expect(log.events('bundle.self-test')[0]).toMatchObject({
      level: 'info',
      fields: { variant: 'int8', windows: 2, maxRelError: 0, tolerance: 1e-4 },
    });
  });

  it('refuses a bundle whose golden scores were edited, and closes the engine it opened', async () => {
    const { model, log, engines } = await open(await bundle({ golden: true, editExpected: 1.01 }));
    await expect(model).rejects.toThrow(
      /refused: self-test failed: golden window 0 \(normal\) scores 1 on this machine's int8 engine/,
    );
    expect(engines).toHaveLength(1);
    expect(engines[0]!.closed).toBe(true);
    expect(log.events('bundle.self-test.failed')[0]).toMatchObject({ level: 'error' });
  });

  it('with model.trustedKeys, loads a signed bundle and names the key', async () => {
    const { model, log } = await open(await bundle({ golden: true, sign: true }), [key.publicPath]);
    expect((await model).provenance).toEqual({
      signed: true,
      keyId: key.keyId,
      selfTest: { maxRelError: 0, windows: 2 },
    });
    expect(log.events('bundle.verified')[0]!.fields).toMatchObject({ keyId: key.keyId });
    expect(log.events('bundle.unsigned')).toHaveLength(0);
  });

  it('with model.trustedKeys, refuses an unsigned bundle before opening any engine', async () => {
    const { model, engines } = await open(await bundle({ golden: true }), [
      readFileSync(key.publicPath, 'utf8'),
    ]);
    await expect(model).rejects.toMatchObject({ code: 'BAD_SIGNATURE', exitCode: 2 });
    await expect(model).rejects.toThrow(
      /bundle refused: .*signature\.json: missing; the bundle is not signed/,
    );
    expect(engines).toHaveLength(0);
  });

  it('refuses a trusted key entry that is not a public key, naming the entry', async () => {
    const { model } = await open(await bundle(), ['keys/none.pub']);
    await expect(model).rejects.toThrow(
      /thrum\.yaml: model\.trustedKeys\[0\]: cannot read key file .*keys\/none\.pub/,
    );
  });
});
