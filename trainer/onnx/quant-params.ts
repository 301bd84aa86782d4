import type { Range } from './activation-ranges.js';

export interface ActivationQuant {
  scale: number;
  zeroPoint: number;
}

/** Asymmetric int8 for an activation range that includes 0 (a relu output gets zero point -128). */
export function activationQuant(range: Range): ActivationQuant {
  const lo = Math.min(0, range.min);
  const hi = Math.max(0, range.max, lo + 1e-6);
  const scale = (hi - lo) / 255;
  const zeroPoint = Math.max(-128, Math.min(127, Math.round(-128 - lo / scale)));
  return { scale, zeroPoint };
}

export interface WeightQuant {
  /** Kernel [inSize, outSize] as int8, symmetric in [-127, 127]. */
  values: Int8Array;
  /** One scale per output channel (axis 1 of the kernel). */
  scales: Float32Array;
}

/** Symmetric per-output-channel int8 for a row-major [inSize, outSize] kernel. */
export function quantizeKernel(kernel: Float32Array, inSize: number, outSize: number): WeightQuant {
  const scales = new Float32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    let maxAbs = 0;
    for (let i = 0; i < inSize; i++) maxAbs = Math.max(maxAbs, Math.abs(kernel[i * outSize + o]));
    scales[o] = maxAbs > 0 ? maxAbs / 127 : 1e-8;
  }
  const values = new Int8Array(kernel.length);
  for (let i = 0; i < inSize; i++) {
    for (let o = 0; o < outSize; o++) {
      const q = Math.round(kernel[i * outSize + o] / scales[o]);
      values[i * outSize + o] = Math.max(-127, Math.min(127, q));
    }
  }
  return { values, scales };
}

/** Bias as int32 at scale inputScale * weightScale[o], the form ORT needs to fuse Gemm into QGemm. */
export function quantizeBias(
  bias: Float32Array,
  inputScale: number,
  weightScales: Float32Array,
): { values: Int32Array; scales: Float32Array } {
  const scales = weightScales.map((s) => s * inputScale);
  const values = new Int32Array(bias.length);
  for (let o = 0; o < bias.length; o++) values[o] = Math.round(bias[o] / scales[o]);
  return { values, scales };
}
