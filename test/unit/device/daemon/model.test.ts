import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openModel } from '../../../../device/daemon/model.js';
import type { ModelVariant } from '../../../../shared/bundle/manifest.js';
import { silentLog } from '../../../../shared/log.js';
import { fakeEngine } from '../../runtime/scoring/fake-engine.js';
import { makeBundle } from '../../shared/bundle/bundle-fixture.js';
import { makeConfig } from './fake-daemon.js';

let dir: string;
let inputSize: number;
beforeAll(async () => {
  const made = await makeBundle();
  dir = made.dir;
  inputSize = made.manifest.model.inputSize;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configFor(bundle: string, extra: Record<string, Record<string, unknown>> = {}) {
  return makeConfig('csv', { model: { bundle, variant: 'int8' }, ...extra });
}

describe('openModel', () => {
  it('opens the configured variant of a verified bundle, with the config’s detector overrides', async () => {
    const opened: ModelVariant[] = [];
    const engine = fakeEngine(inputSize, (x) => x);
    const model = await openModel(
      configFor(dir, { detector: { threshold: 2.5, k: 2 } }),
      () => async (variant) => {
        opened.push(variant);
        return engine;
      },
      silentLog,
    );
    expect(opened).toEqual(['int8']);
    expect(model.engine).toBe(engine);
    expect(model.variant).toBe('int8');
    expect(model.manifest.bundleId).toBe('b-test');
    expect(model.detector.threshold).toBe(2.5);
    expect(model.detector.rule).toMatchObject({ k: 2, n: 5 });
  });

  it('auto decides at the batch size the config runs (1 at 1 kHz, hop 128, maxDelayMs 0) and says why', async () => {
    const lines: object[] = [];
    const log = { ...silentLog, info: (o: object) => lines.push(o) };
    const model = await openModel(
      makeConfig('csv', { model: { bundle: dir, variant: 'auto' } }),
      () => async () => fakeEngine(inputSize, (x) => x),
      log,
    );
    // The fixture manifest stores no int8 parity: speed decides, and the reason says parity is unknown.
    expect(model.variantReason).toMatch(/^(int8|fp32) faster at batch 1 \(.*\); int8 parity unknown$/);
    expect(model.variantReason?.startsWith(model.variant)).toBe(true);
    expect(lines).toContainEqual(
      expect.objectContaining({ event: 'model.variant.selected', batchSize: 1, reason: model.variantReason }),
    );
  });

  it('refuses a tampered model file before opening any engine', async () => {
    const file = join(dir, 'model.int8.onnx');
    const bytes = readFileSync(file);
    try {
      writeFileSync(file, Buffer.concat([bytes, Buffer.from([1])]));
      let opened = 0;
      await expect(
        openModel(
          configFor(dir),
          () => async () => {
            opened++;
            return fakeEngine(4, (x) => x);
          },
          silentLog,
        ),
      ).rejects.toThrow(/model\.int8\.onnx/);
      expect(opened).toBe(0);
    } finally {
      writeFileSync(file, bytes);
    }
  });
});
