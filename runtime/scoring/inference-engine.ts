/**
 * Runs the autoencoder. Engines: runtime/engines/ort-engine.ts (onnxruntime-node); tests use fakes.
 * Implementations must not keep `batch` after the promise settles (the caller reuses it).
 */
export interface InferenceEngine {
  /** Values per feature vector (the model's input width). */
  readonly inputSize: number;
  /** Reconstructions of the n vectors packed in batch[0, n*inputSize): n*inputSize values, same layout. */
  run(batch: Float32Array, n: number): Promise<Float32Array>;
  /** Frees the session; the engine is unusable afterwards. */
  close(): Promise<void>;
}
