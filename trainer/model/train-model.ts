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
import type { DenseWeights } from './dense.js';
import { type EpochLog, type FitOptions, type FitResult, fitAutoencoder } from './fit.js';
import { SeededRandom } from './seeded-random.js';

export interface TrainedModel {
  widths: number[];
  parameters: number;
  fit: FitResult;
  /** The reconstruction path as plain weights: what ONNX export and int8 quantization take. */
  layers: DenseWeights[];
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
    return {
      widths,
      parameters: parameterCount(model),
      fit,
      layers: inferenceWeights(model),
      checkRecon: reconstructArray(model, check),
    };
  } finally {
    disposeAutoencoder(model);
  }
}
