import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../trainer/model/backend.js';
import { SeededRandom } from '../../../trainer/model/seeded-random.js';
import { trainModel } from '../../../trainer/model/train-model.js';
import { silentProgress } from '../../../trainer/progress.js';

// Correlated data on a 2-D subspace of 16 dimensions: an autoencoder can learn it.
function data(rows: number, seed: number): Float32Array {
  const rng = new SeededRandom(seed);
  const out = new Float32Array(rows * 16);
  for (let r = 0; r < rows; r++) {
    const a = rng.normal();
    const b = rng.normal();
    for (let i = 0; i < 16; i++) out[r * 16 + i] = Math.sin(i) * a + Math.cos(i) * b + 0.05 * rng.normal();
  }
  return out;
}

const fit = { epochs: 30, patience: 5, batchSize: 32, learningRate: 5e-3, denoise: 0, beta: 1, seed: 1 };

describe('model options', () => {
  let train: Float32Array;
  let val: Float32Array;
  beforeAll(async () => {
    await selectBackend();
    train = data(512, 1);
    val = data(128, 2);
  });

  it('learns: validation loss falls well below the data variance, and early stopping keeps the best epoch', () => {
    const t = trainModel(train, val, val, 16, { ...fit, kind: 'ae' }, silentProgress);
    const best = Math.min(...t.fit.valLoss);
    expect(best).toBeLessThan(0.5 * t.fit.valLoss[0]);
    expect(t.fit.valLoss[t.fit.bestEpoch - 1]).toBe(best);
    expect(t.widths).toEqual([8, 4, 2]);
  });

  it('stops early after `patience` epochs without improvement', () => {
    const t = trainModel(
      train,
      val,
      val,
      16,
      { ...fit, epochs: 200, patience: 3, kind: 'ae' },
      silentProgress,
    );
    expect(t.fit.epochsRun - t.fit.bestEpoch).toBe(3);
    expect(t.fit.stoppedEarly).toBe(true);
  });

  it('denoising: noisy inputs make the training loss higher than clean training', () => {
    const clean = trainModel(train, val, val, 16, { ...fit, epochs: 5, kind: 'ae' }, silentProgress);
    const noisy = trainModel(
      train,
      val,
      val,
      16,
      { ...fit, epochs: 5, denoise: 1, kind: 'ae' },
      silentProgress,
    );
    expect(noisy.fit.loss.at(-1)!).toBeGreaterThan(clean.fit.loss.at(-1)!);
  });

  it('vae: adds a log-variance head that the exported mean path leaves out', () => {
    const vae = trainModel(train, val, val, 16, { ...fit, epochs: 5, kind: 'vae' }, silentProgress);
    const ae = trainModel(train, val, val, 16, { ...fit, epochs: 5, kind: 'ae' }, silentProgress);
    expect(vae.layers.map((l) => [l.inSize, l.outSize])).toEqual(ae.layers.map((l) => [l.inSize, l.outSize]));
    expect(vae.parameters - ae.parameters).toBe(4 * 2 + 2);
    expect(Number.isFinite(vae.fit.valLoss.at(-1)!)).toBe(true);
  });
});
