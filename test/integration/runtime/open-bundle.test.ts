import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ortEngineFactory } from '../../../runtime/engines/ort-engine.js';
import { openBundleRuntime } from '../../../runtime/open-bundle.js';
import { chooseVariant } from '../../../runtime/scoring/choose-variant.js';
import { int8ParityOf } from '../../../shared/bundle/int8-parity.js';
import { readBundle } from '../../../shared/bundle/read.js';
import { ThrumError } from '../../../shared/errors.js';
import type { Log } from '../../../shared/log.js';
import type { TrainResult } from '../../../trainer/train.js';
import { makeBundle } from '../../fixtures/make-bundle.js';

let trained: TrainResult;
beforeAll(async () => {
  trained = await makeBundle({ model: 'pca', features: ['stats'] });
}, 60_000);
afterAll(() => rmSync(trained.dir, { recursive: true, force: true }));

describe('openBundleRuntime', () => {
  it('opens int8 by default with the bundle detector, and a scorer over the model input', async () => {
    const runtime = await openBundleRuntime(trained.dir);
    try {
      const { manifest } = trained;
      expect(runtime.variant).toBe('int8');
      expect(runtime.manifest).toEqual(manifest);
      expect(runtime.scorer.size).toBe(manifest.model.inputSize);
      expect(runtime.extractor.size).toBe(manifest.model.inputSize);
      expect(runtime.detector.rule).toEqual(manifest.detector);
      expect(runtime.detector.threshold).toBe(manifest.variants.int8.threshold);
    } finally {
      await runtime.close();
    }
  });

  it('auto measures both variants, reports them on the log and keeps the faster', async () => {
    const lines: object[] = [];
    const log: Log = { debug() {}, info: (o) => lines.push(o), warn() {}, error() {} };
    const runtime = await openBundleRuntime(trained.dir, {
      variant: 'auto',
      log,
      measure: { batches: 5, warmup: 1, batchSize: 8 },
    });
    try {
      const us = runtime.perWindowUs!;
      const costs = { batchSize: 8, int8UsPerWindow: us.int8, fp32UsPerWindow: us.fp32 };
      // The trained bundle's own stored parity takes part: the same rule the unit tests pin down.
      expect(runtime.variant).toBe(chooseVariant(costs, int8ParityOf(trained.manifest)).variant);
      expect(runtime.variantReason).toMatch(/batch 8|parity|threshold shift/);
      expect(runtime.detector.threshold).toBe(trained.manifest.variants[runtime.variant].threshold);
      expect(lines).toContainEqual(expect.objectContaining({ variant: runtime.variant }));
    } finally {
      await runtime.close();
    }
  });

  it('auto refuses int8 when the bundle’s stored int8 parity is poor, even where int8 is faster', async () => {
    // A copy whose manifest says int8 ranked the holdout at Spearman 0.82 (the manifest is not hashed; the
    // model files, which are, stay as trained).
    const dir = mkdtempSync(join(tmpdir(), 'thrum-poor-parity-'));
    try {
      cpSync(trained.dir, dir, { recursive: true });
      const path = join(dir, 'manifest.json');
      const manifest = JSON.parse(readFileSync(path, 'utf8'));
      manifest.training.summary.int8.spearmanHoldout = 0.82;
      writeFileSync(path, JSON.stringify(manifest));
      const lines: object[] = [];
      const log: Log = { debug() {}, info: (o) => lines.push(o), warn() {}, error() {} };
      // fp32 made 2 ms slower per call, so speed alone would keep int8.
      const engines: typeof ortEngineFactory = (bundle) => async (variant) => {
        const engine = await ortEngineFactory(bundle)(variant);
        if (variant === 'int8') return engine;
        return {
          ...engine,
          run: (batch, n) => {
            const until = performance.now() + 2;
            while (performance.now() < until);
            return engine.run(batch, n);
          },
          close: () => engine.close(),
        };
      };
      const runtime = await openBundleRuntime(dir, {
        variant: 'auto',
        log,
        engines,
        measure: { batches: 3, warmup: 1 },
        workload: { sensors: 1, maxDelayMs: 0, maxBatch: 64 },
      });
      try {
        expect(runtime.perWindowUs!.int8).toBeLessThan(runtime.perWindowUs!.fp32);
        expect(runtime.variant).toBe('fp32');
        expect(runtime.variantReason).toBe('int8 parity 0.8200 < 0.99');
        expect(runtime.detector.threshold).toBe(trained.manifest.variants.fp32.threshold);
        expect(lines).toContainEqual(
          expect.objectContaining({
            event: 'model.variant.selected',
            variant: 'fp32',
            reason: 'int8 parity 0.8200 < 0.99',
            batchSize: 1,
            int8Spearman: 0.82,
          }),
        );
      } finally {
        await runtime.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes a bundle already read (the daemon checks it first) and the overrides of thrum.yaml', async () => {
    const bundle = await readBundle(trained.dir, { variants: ['fp32'] });
    const runtime = await openBundleRuntime(bundle, {
      variant: 'fp32',
      detector: { k: 2, n: undefined, threshold: 9 },
    });
    try {
      expect(runtime.variant).toBe('fp32');
      expect(runtime.detector.rule).toEqual({ ...trained.manifest.detector, k: 2 });
      expect(runtime.detector.threshold).toBe(9);
    } finally {
      await runtime.close();
    }
  });

  it('refuses an override that cannot work, naming the key', async () => {
    const error = await openBundleRuntime(trained.dir, { detector: { k: 9 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrumError);
    expect((error as Error).message).toMatch(/detector\.k \(9\) is larger than detector\.n/);
  });
});
