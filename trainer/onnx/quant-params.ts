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

/**
 * Weights use 7 of the 8 bits ("reduce range", as onnxruntime's own quantizer offers): on x86 CPUs without
 * VNNI, ORT's u8 x s8 kernel sums pairs of products in int16 (vpmaddubsw), and 255 x 127 x 2 overflows it, so
 * full-range weights saturate on some windows and int8 stops ranking like fp32 (Spearman 0.989 on the synthetic
 * faults of test/integration/trainer/train-bundle.test.ts on an AVX2-only EPYC). 255 x 63 x 2 fits.
 */
export const WEIGHT_QMAX = 63;

export interface WeightQuant {
  /** Kernel [inSize, outSize] as int8, symmetric in [-WEIGHT_QMAX, WEIGHT_QMAX]. */
  values: Int8Array;
  /** One scale per output channel (axis 1 of the kernel). */
  scales: Float32Array;
}

/** Symmetric per-output-channel int8 (7-bit range) for a row-major [inSize, outSize] kernel. */
export function quantizeKernel(kernel: Float32Array, inSize: number, outSize: number): WeightQuant {
  const scales = new Float32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    let maxAbs = 0;
    for (let i = 0; i < inSize; i++) maxAbs = Math.max(maxAbs, Math.abs(kernel[i * outSize + o]));
    scales[o] = maxAbs > 0 ? maxAbs / WEIGHT_QMAX : 1e-8;
  }
  const values = new Int8Array(kernel.length);
  for (let i = 0; i < inSize; i++) {
    for (let o = 0; o < outSize; o++) {
      const q = Math.round(kernel[i * outSize + o] / scales[o]);
      values[i * outSize + o] = Math.max(-WEIGHT_QMAX, Math.min(WEIGHT_QMAX, q));
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
