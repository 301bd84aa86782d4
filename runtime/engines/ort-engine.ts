import * as ort from 'onnxruntime-node';
import type { Manifest, ModelVariant } from '../../shared/bundle/manifest.js';
import { ThrumError } from '../../shared/errors.js';
import type { InferenceEngine } from '../scoring/inference-engine.js';
import { checkModelIo } from './model-io.js';

export interface OrtModelIo {
  inputName: string;
  outputName: string;
  inputSize: number;
}

/**
 * Options measured on a 2-core board: full graph optimization (fuses QDQ int8 into QGemm), one thread and
 * sequential execution (micro-batches are too small to split), and no spin-waiting between runs (it halved p99).
 */
export const ORT_SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  graphOptimizationLevel: 'all',
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  extra: { session: { intra_op: { allow_spinning: '0' } } },
};

/**
 * Loads an ONNX autoencoder with onnxruntime-node from a file (the device, eval) or from bytes (the trainer's
 * calibration, before the bundle is written); MODEL_LOAD_FAILED names the file when it cannot.
 */
export async function openOrtEngine(model: string | Uint8Array, io: OrtModelIo): Promise<InferenceEngine> {
  const modelPath = typeof model === 'string' ? model : `(in-memory model of ${model.byteLength} bytes)`;
  let session: ort.InferenceSession;
  try {
    session = await createSession(model, ORT_SESSION_OPTIONS);
  } catch (error) {
    throw new ThrumError('MODEL_LOAD_FAILED', `cannot load ONNX model ${modelPath}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  await checkModelIo(session, io, modelPath);
  const { inputName, outputName, inputSize } = io;
  return {
    inputSize,
    async run(batch, n) {
      const input = new ort.Tensor('float32', batch.subarray(0, n * inputSize), [n, inputSize]);
      const output = await session.run({ [inputName]: input });
      return output[outputName].data as Float32Array;
    },
    close: () => session.release(),
  };
}

/** Opens a bundle's model variants; give it to selectVariant. */
export function ortEngineFactory(bundle: {
  manifest: Pick<Manifest, 'model'>;
  modelPath(variant: ModelVariant): string;
}): (variant: ModelVariant) => Promise<InferenceEngine> {
  const { inputName, outputName, inputSize } = bundle.manifest.model;
  return (variant) => openOrtEngine(bundle.modelPath(variant), { inputName, outputName, inputSize });
}

/** The two overloads of InferenceSession.create, as one call. */
function createSession(
  model: string | Uint8Array,
  options: ort.InferenceSession.SessionOptions,
): Promise<ort.InferenceSession> {
  return typeof model === 'string'
    ? ort.InferenceSession.create(model, options)
    : ort.InferenceSession.create(model, options);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
