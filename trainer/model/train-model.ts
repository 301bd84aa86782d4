import type { Progress } from '../progress.js';
import { layerWidths } from './architecture.js';
import {
  createAutoencoder,
  disposeAutoencoder,
  inferenceWeights,
  type ModelKind,
  parameterCount,
  reconstructArray,
} from './autoencoder.js';
import { type DenseWeights, forwardDense } from './dense.js';
import { type EpochLog, type FitOptions, type FitResult, fitAutoencoder } from './fit.js';
import { fitPca } from './pca.js';
import { SeededRandom } from './seeded-random.js';

export interface TrainedModel {
  widths: number[];
  parameters: number;
  fit: FitResult;
  /** The reconstruction path as plain weights: what ONNX export and int8 quantization take. */
  layers: DenseWeights[];
  /** The layers of `layers` up to and including the bottleneck (pca: the projection onto the axes). */
  encoder: DenseWeights[];
  /** tfjs reconstruction of `check` rows, for the export parity check. */
  checkRecon: Float32Array;
}

export interface TrainModelOptions extends Omit<FitOptions, 'onEpoch'> {
  kind: ModelKind;
  bottleneck?: number;
  seed: number;
  onEpoch?: (log: EpochLog) => void;
}

/** Builds, fits and unloads the tfjs model; only plain arrays leave this function (no tensors leak). */
export function trainModel(
  train: Float32Array,
  val: Float32Array,
  check: Float32Array,
  size: number,
  o: TrainModelOptions,
  progress: Progress,
): TrainedModel {
  const widths = layerWidths(size, o.bottleneck);
  if (o.kind === 'pca') return trainPca(train, val, check, size, widths[widths.length - 1], progress);
  const rng = new SeededRandom(o.seed);
  const model = createAutoencoder(o.kind, size, widths, rng);
  try {
    const fit = fitAutoencoder(model, train, val, rng, {
      ...o,
      onEpoch: (e) => {
        progress.epoch(e);
        o.onEpoch?.(e);
      },
    });
    progress.end();
    const layers = inferenceWeights(model);
    return {
      widths,
      parameters: parameterCount(model),
      fit,
      layers,
      encoder: layers.slice(0, widths.length),
      checkRecon: reconstructArray(model, check),
    };
  } finally {
    disposeAutoencoder(model);
  }
}

/** The reconstruction of `rows` (each `size` wide) through plain dense layers. */
function reconstructDense(layers: DenseWeights[], rows: Float32Array, size: number): Float32Array {
  if (rows.length === 0) return new Float32Array(0);
  return forwardDense(layers, rows, rows.length / size).at(-1) as Float32Array;
}

/** Mean squared reconstruction error of `rows` through plain dense layers (what the AE's loss reports). */
function denseLoss(layers: DenseWeights[], rows: Float32Array, size: number): number {
  if (rows.length === 0) return Number.NaN;
  const recon = reconstructDense(layers, rows, size);
  let sum = 0;
  for (let i = 0; i < rows.length; i++) sum += (rows[i] - recon[i]) ** 2;
  return sum / rows.length;
}

/** `--model pca`: one closed-form fit, reported as a single "epoch" so summaries and reports stay uniform. */
function trainPca(
  train: Float32Array,
  val: Float32Array,
  check: Float32Array,
  size: number,
  components: number,
  progress: Progress,
): TrainedModel {
  const { layers, explained } = fitPca(train, size, components);
  const loss = denseLoss(layers, train, size);
  const valLoss = val.length > 0 ? denseLoss(layers, val, size) : loss;
  progress.line(
    `pca: ${components} of ${size} components keep ${(explained * 100).toFixed(2)} % of the variance`,
  );
  return {
    widths: [components],
    parameters: layers.reduce((s, l) => s + l.kernel.length + l.bias.length, 0),
    fit: { loss: [loss], valLoss: [valLoss], bestEpoch: 1, epochsRun: 1, stoppedEarly: false },
    layers,
    encoder: layers.slice(0, 1),
    checkRecon: reconstructDense(layers, check, size),
  };
}
