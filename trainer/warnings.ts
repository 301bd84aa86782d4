import type { TrainingSummary } from './summary.js';

const perDay = (x: number) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(2));

/** Plain words when a variant's threshold falls back, or when the holdout cannot back the target rate. */
function thresholdWarnings(s: TrainingSummary, targetFar: number): string[] {
  const out: string[] = [];
  for (const v of ['fp32', 'int8'] as const) {
    const t = s.thresholds[v];
    if (t.method === 'conservative') {
      out.push(
        `${v} threshold: the tail fit of the ${s.windows.holdout} holdout scores is not trusted (${t.fallback}); ` +
          'it is the conservative rule instead (the higher of the holdout maximum and an exponential tail at ' +
          `${targetFar}), and p-values are the holdout's empirical ones`,
      );
    }
  }
  const short = (['fp32', 'int8'] as const).filter((v) => !s.thresholds[v].promisesTarget);
  if (short.length > 0) {
    const reach = short.map((v) => `${v} ${s.thresholds[v].expectedFar.hi.toPrecision(2)}`).join(', ');
    const d = s.thresholds[short.at(-1)!].falseAlarmsPerDay;
    out.push(
      `${s.windows.holdout} holdout windows are too few to promise a false-alarm rate of ${targetFar}: ` +
        `at the thresholds the 90 % interval reaches ${reach} of windows (${short.at(-1)}: ${perDay(d.hi)} flagged ` +
        `normal windows/day at ${perDay(d.windowsPerDay)} windows/day); give more normal data or a larger --holdout`,
    );
  }
  return out;
}

/** Things a user should know about this bundle, in plain words (printed and shown in the report). */
export function trainingWarnings(
  s: TrainingSummary,
  targetFar: number,
  train: Float32Array[],
  channels: number,
  names: string[],
): string[] {
  const out: string[] = [...thresholdWarnings(s, targetFar)];
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
