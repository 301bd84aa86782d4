import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BundleRuntime, openBundleRuntime } from '../../../runtime/open-bundle.js';
import { goldenScores, SELF_TEST_TOLERANCE, selfTest } from '../../../runtime/self-test.js';
import {
  decodeFloats,
  encodeFloats,
  encodeGolden,
  type Golden,
  type GoldenLabel,
  readGolden,
} from '../../../shared/bundle/golden.js';
import type { Manifest } from '../../../shared/bundle/manifest.js';
import type { Bundle } from '../../../shared/bundle/read.js';
import { makeBundle, SPEC } from '../shared/bundle/bundle-fixture.js';
import { fakeEngine } from './scoring/fake-engine.js';

// The engine reconstructs zeros, so a window's score is the mean square of its feature vector: golden windows of
// constant value v score v^2. The fixture's thresholds are 1.5 (both variants).
let dir: string;
let manifest: Manifest;
beforeAll(async () => {
  ({ dir, manifest } = await makeBundle());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runtimeFor(m: Manifest, reconstruct: (x: number) => number = () => 0): Promise<BundleRuntime> {
  const bundle: Bundle = { manifest: m, dir, manifestPath: join(dir, 'manifest.json'), modelPath: () => dir };
  return openBundleRuntime(bundle, {
    variant: 'int8',
    engines: () => async () => fakeEngine(m.model.inputSize, reconstruct),
  });
}

const constant = (label: GoldenLabel, v: number, size: number) => ({
  label,
  values: new Float32Array(size).fill(v),
  expected: { fp32: v * v, int8: v * v },
});

/** Two normal windows (scores 0.25, 1) and two anomalous ones (4, 9) as feature vectors. */
function featureGolden(): Golden {
  const size = manifest.model.inputSize;
  return {
    input: 'features',
    size,
    windows: [
      constant('normal', 0.5, size),
      constant('normal', 1, size),
      constant('anomalous', 2, size),
      constant('anomalous', 3, size),
    ],
  };
}

describe('selfTest', () => {
  it('passes when this engine reproduces the expected scores and the thresholds separate the labels', async () => {
    const r = await selfTest(await runtimeFor(manifest), featureGolden());
    expect(r).toEqual({
      ok: true,
      variant: 'int8',
      windows: 4,
      maxRelError: 0,
      tolerance: SELF_TEST_TOLERANCE,
    });
  });

  it('fails when a golden score was edited beyond the tolerance, naming the window', async () => {
    const golden = featureGolden();
    golden.windows[2]!.expected.int8 = 4 * 1.01;
    const r = await selfTest(await runtimeFor(manifest), golden);
    expect(r.ok).toBe(false);
    expect(r.maxRelError).toBeCloseTo(0.01 / 1.01, 6);
    expect(r.reason).toMatch(
      /golden window 2 \(anomalous\) scores 4 on this machine's int8 engine, the bundle expects 4\.04/,
    );
  });

  it('accepts a difference inside the tolerance (float noise of another CPU)', async () => {
    const golden = featureGolden();
    golden.windows[1]!.expected.int8 = 1 + SELF_TEST_TOLERANCE / 2;
    const r = await selfTest(await runtimeFor(manifest), golden);
    expect(r.ok).toBe(true);
    expect(r.maxRelError).toBeGreaterThan(0);
    expect(r.maxRelError).toBeLessThan(SELF_TEST_TOLERANCE);
  });

  it('fails on an engine that computes something else here (NaN, or another model)', async () => {
    const nan = await selfTest(await runtimeFor(manifest, () => Number.NaN), featureGolden());
    expect(nan).toMatchObject({ ok: false, maxRelError: Number.POSITIVE_INFINITY });
    const other = await selfTest(await runtimeFor(manifest, (x) => x / 2), featureGolden());
    expect(other.ok).toBe(false);
    expect(other.maxRelError).toBeCloseTo(0.75, 6);
  });

  it('fails when the running variant’s threshold was edited to 1e9 (would never alert)', async () => {
    const edited = {
      ...manifest,
      variants: { ...manifest.variants, int8: { ...manifest.variants.int8, threshold: 1e9 } },
    };
    const r = await selfTest(await runtimeFor(edited), featureGolden());
    expect(r.ok).toBe(false);
    expect(r.maxRelError).toBe(0);
    expect(r.reason).toBe(
      'variants.int8.threshold 1000000000 is above 2 of 2 golden anomalous windows (lowest score 4.000): it would miss faults the trainer detected',
    );
  });

  it('fails when a threshold was lowered below normal windows, also for the variant that does not run', async () => {
    const edited = {
      ...manifest,
      variants: { ...manifest.variants, fp32: { ...manifest.variants.fp32, threshold: 0.5 } },
    };
    const r = await selfTest(await runtimeFor(edited), featureGolden());
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(
      /^variants\.fp32\.threshold 0\.5 is below 1 of 2 golden normal windows \(highest score 1\.000\)/,
    );
  });

  it('scores raw sample windows through the stream pipeline, feature code included', async () => {
    const runtime = await runtimeFor(manifest);
    const size = SPEC.window * SPEC.channels;
    const raw = [0.3, 1.7].map((amp) =>
      Float32Array.from({ length: size }, (_, i) => amp * Math.sin(i * 0.21) + (i % 3) * 0.1),
    );
    const golden: Golden = {
      input: 'samples',
      size,
      windows: raw.map((values) => ({ label: 'normal', values, expected: { fp32: 0, int8: 0 } })),
    };
    const scores = await goldenScores(runtime, golden);
    // What the scorer gives for each window's feature vector, extracted directly.
    const features = new Float32Array(runtime.extractor.size);
    raw.forEach((values, i) => {
      runtime.extractor.extract(values, features);
      const meanSquare = features.reduce((sum, x) => sum + x * x, 0) / features.length;
      expect(scores[i]).toBeCloseTo(meanSquare, 10);
    });
    expect(scores[0]).not.toBeCloseTo(scores[1]!, 3);
  });
});

describe('golden.json', () => {
  it('round-trips float32 values bit for bit', () => {
    const values = Float32Array.from([0, -0, 1.5, Math.PI, -1e-38, 3.4e38]);
    expect(decodeFloats(encodeFloats(values))).toEqual(values);
  });

  it('is read through the bundle and refused when it does not fit the manifest', async () => {
    const path = join(dir, 'golden.json');
    writeFileSync(path, encodeGolden(featureGolden()));
    const read = await readGolden({ manifest, goldenPath: path });
    expect(read?.windows.map((w) => w.expected.int8)).toEqual([0.25, 1, 4, 9]);
    expect(await readGolden({ manifest })).toBeUndefined();

    writeFileSync(path, encodeGolden({ ...featureGolden(), input: 'samples' }));
    await expect(readGolden({ manifest, goldenPath: path })).rejects.toThrow(
      /golden\.json: size is \d+ but the manifest's window x channels is 768: golden\.json belongs to another bundle/,
    );
    writeFileSync(path, JSON.stringify({ schemaVersion: 1, input: 'features', size: 2, windows: [] }));
    await expect(readGolden({ manifest, goldenPath: path })).rejects.toThrow(/golden\.json: windows/);
  });
});
