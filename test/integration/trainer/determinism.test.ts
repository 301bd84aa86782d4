import { describe, expect, it } from 'vitest';
import { makeBundle } from '../../fixtures/make-bundle.js';

describe('seeded training', () => {
  it('gives byte-identical model files for the same seed and different ones for another seed', async () => {
    const opts = { seconds: 15, epochs: 4 };
    const a = await makeBundle({ ...opts, seed: 5 });
    const b = await makeBundle({ ...opts, seed: 5 });
    const c = await makeBundle({ ...opts, seed: 6 });
    expect(b.manifest.files.fp32.sha256).toBe(a.manifest.files.fp32.sha256);
    expect(b.manifest.files.int8.sha256).toBe(a.manifest.files.int8.sha256);
    expect(b.manifest.variants).toEqual(a.manifest.variants);
    // The golden windows and their expected scores too: the device's self-test expects the same on every rerun.
    expect(a.manifest.files.golden?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(b.manifest.files.golden?.sha256).toBe(a.manifest.files.golden?.sha256);
    expect(c.manifest.files.fp32.sha256).not.toBe(a.manifest.files.fp32.sha256);
    expect(b.manifest.bundleId).not.toBe('');
  }, 60_000);
});
