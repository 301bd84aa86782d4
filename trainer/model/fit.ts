import * as tf from '@tensorflow/tfjs';
import { type Autoencoder, reconstruct, trainingLoss, variablesOf } from './autoencoder.js';
import type { SeededRandom } from './seeded-random.js';

export interface FitOptions {
  epochs: number;
  /** Stop after this many epochs without a lower validation loss; the best weights are restored. */
  patience: number;
  batchSize: number;
  learningRate: number;
  /** Std of Gaussian noise added to inputs (targets stay clean): a denoising autoencoder. 0 = off. */
  denoise: number;
  /** Weight of the VAE's KL term. */
  beta: number;
  onEpoch?: (log: EpochLog) => void;
}

export interface EpochLog {
  epoch: number;
  epochs: number;
  loss: number;
  valLoss: number;
  best: boolean;
}

export interface FitResult {
  loss: number[];
  valLoss: number[];
  /** 1-based epoch whose weights were kept. */
  bestEpoch: number;
  epochsRun: number;
  stoppedEarly: boolean;
}

/** Mean squared reconstruction error over the rows of `data` (no noise, the mean path for a VAE). */
export function reconstructionLoss(model: Autoencoder, data: Float32Array, batch = 1024): number {
  const d = model.inputSize;
  const rows = data.length / d;
  let sum = 0;
  for (let start = 0; start < rows; start += batch) {
    const n = Math.min(batch, rows - start);
    sum += tf.tidy(() => {
      const x = tf.tensor2d(data.subarray(start * d, (start + n) * d), [n, d]);
      return tf.sum(tf.square(tf.sub(reconstruct(model, x), x))).dataSync()[0];
    });
  }
  return sum / (rows * d);
}

/**
 * Custom training loop (Adam, shuffled mini-batches from the seeded PRNG, early stopping on validation loss).
 * Every random draw comes from `rng`, so the same seed and data give the same weights.
 */
export function fitAutoencoder(
  model: Autoencoder,
  train: Float32Array,
  val: Float32Array,
  rng: SeededRandom,
  opts: FitOptions,
): FitResult {
  const d = model.inputSize;
  const rows = train.length / d;
  const vars = variablesOf(model);
  const optimizer = tf.train.adam(opts.learningRate);
  const order = new Uint32Array(rows).map((_, i) => i);
  const batchX = new Float32Array(opts.batchSize * d);
  const noise = new Float32Array(opts.batchSize * d);
  const eps = new Float32Array(opts.batchSize * model.widths[model.widths.length - 1]);
  const result: FitResult = { loss: [], valLoss: [], bestEpoch: 0, epochsRun: 0, stoppedEarly: false };
  let best = Number.POSITIVE_INFINITY;
  let bestWeights: Float32Array[] = [];

  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    rng.shuffle(order);
    let lossSum = 0;
    for (let start = 0; start < rows; start += opts.batchSize) {
      const n = Math.min(opts.batchSize, rows - start);
      for (let r = 0; r < n; r++)
        batchX.set(train.subarray(order[start + r] * d, (order[start + r] + 1) * d), r * d);
      const target = batchX.subarray(0, n * d);
      const input =
        opts.denoise > 0
          ? rng.fillNormal(noise.subarray(0, n * d), opts.denoise).map((v, i) => v + target[i])
          : target;
      const zNoise =
        model.kind === 'vae'
          ? rng.fillNormal(eps.subarray(0, n * model.widths[model.widths.length - 1]))
          : undefined;
      const loss = tf.tidy(() => {
        const x = tf.tensor2d(input, [n, d]);
        const y = input === target ? x : tf.tensor2d(target, [n, d]);
        const e = zNoise ? tf.tensor2d(zNoise, [n, zNoise.length / n]) : undefined;
        const cost = optimizer.minimize(() => trainingLoss(model, x, y, e, opts.beta), true, vars);
        return cost!.dataSync()[0];
      });
      lossSum += loss * n;
    }
    const valLoss = val.length > 0 ? reconstructionLoss(model, val) : lossSum / rows;
    const improved = valLoss < best;
    result.loss.push(lossSum / rows);
    result.valLoss.push(valLoss);
    result.epochsRun = epoch;
    if (improved) {
      best = valLoss;
      result.bestEpoch = epoch;
      bestWeights = vars.map((v) => v.dataSync().slice() as Float32Array);
    }
    opts.onEpoch?.({ epoch, epochs: opts.epochs, loss: lossSum / rows, valLoss, best: improved });
    if (epoch - result.bestEpoch >= opts.patience) {
      result.stoppedEarly = epoch < opts.epochs;
      break;
    }
  }
  tf.tidy(() => {
    vars.forEach((v, i) => {
      if (bestWeights[i]) v.assign(tf.tensor(bestWeights[i], v.shape));
    });
  });
  optimizer.dispose();
  return result;
}
