import type { TrainingSummary } from './summary.js';

/** Things a user should know about this bundle, in plain words (printed and shown in the report). */
export function trainingWarnings(
  s: TrainingSummary,
  targetFar: number,
  train: Float32Array[],
  channels: number,
  names: string[],
): string[] {
  const out: string[] = [];
  if (s.windows.holdout < 1 / targetFar) {
    out.push(
      `only ${s.windows.holdout} holdout windows: a ${targetFar} false-alarm rate needs ${Math.ceil(1 / targetFar)}; ` +
        'the thresholds are the holdout maxima (give more normal data or a larger --holdout for a tighter estimate)',
    );
  }
  for (let c = 0; c < channels; c++) {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const part of train) {
      for (let i = c; i < part.length; i += channels) {
        if (part[i] < min) min = part[i];
        if (part[i] > max) max = part[i];
      }
    }
    if (min === max) {
      out.push(
        `channel ${names[c]} is constant (${min}) in the training data: any change in it will score as an anomaly`,
      );
    }
  }
  if (s.exportParityMaxAbs > 1e-4)
    out.push(`ONNX fp32 differs from tfjs by up to ${s.exportParityMaxAbs.toExponential(2)}`);
  if (s.int8.spearmanHoldout < 0.99 || s.int8.spearmanAnomalous < 0.99) {
    out.push(
      `int8 scores follow fp32 loosely (Spearman ${s.int8.spearmanHoldout.toFixed(4)} normal, ${s.int8.spearmanAnomalous.toFixed(4)} anomalous): ` +
        'prefer variant fp32 on the device or retrain with another --int8-headroom',
    );
  }
  if (!s.int8.optimizedOps.includes('QGemm'))
    out.push('ONNX Runtime did not fuse the int8 graph into QGemm: int8 will run slower than expected');
  return out;
}
