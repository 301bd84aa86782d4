import type { InferenceEngine } from '../../../../runtime/scoring/inference-engine.js';

/** An engine whose reconstruction is a fixed function of its input; counts runs and closes. */
export function fakeEngine(inputSize: number, reconstruct: (x: number, j: number) => number) {
  const engine = {
    inputSize,
    runs: 0,
    closed: false as boolean,
    async run(batch: Float32Array, n: number) {
      engine.runs++;
      return Float32Array.from(batch.subarray(0, n * inputSize), (x, i) => reconstruct(x, i % inputSize));
    },
    async close() {
      engine.closed = true;
    },
  } satisfies InferenceEngine & { runs: number; closed: boolean };
  return engine;
}
