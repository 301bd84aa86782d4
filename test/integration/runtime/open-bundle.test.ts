import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBundleRuntime } from '../../../runtime/open-bundle.js';
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
      expect(runtime.variant).toBe(us.int8 <= us.fp32 ? 'int8' : 'fp32');
      expect(runtime.detector.threshold).toBe(trained.manifest.variants[runtime.variant].threshold);
      expect(lines).toContainEqual(expect.objectContaining({ variant: runtime.variant }));
    } finally {
      await runtime.close();
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
