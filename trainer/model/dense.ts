export type Activation = 'relu' | 'linear';

/** One dense layer as plain arrays: y = act(x · kernel + bias), kernel row-major [inSize, outSize]. */
export interface DenseWeights {
  inSize: number;
  outSize: number;
  kernel: Float32Array;
  bias: Float32Array;
  activation: Activation;
}

/**
 * Plain-JS forward pass over `rows` inputs; returns every layer's output (the last is the reconstruction).
 * Used for int8 calibration ranges and as an independent reference in tests; float64 accumulation.
 */
export function forwardDense(layers: DenseWeights[], input: Float32Array, rows: number): Float32Array[] {
  const outputs: Float32Array[] = [];
  let x = input;
  for (const layer of layers) {
    const y = new Float32Array(rows * layer.outSize);
    for (let r = 0; r < rows; r++) {
      for (let o = 0; o < layer.outSize; o++) {
        let acc = layer.bias[o];
        for (let i = 0; i < layer.inSize; i++)
          acc += x[r * layer.inSize + i] * layer.kernel[i * layer.outSize + o];
        y[r * layer.outSize + o] = layer.activation === 'relu' && acc < 0 ? 0 : acc;
      }
    }
    outputs.push(y);
    x = y;
  }
  return outputs;
}
