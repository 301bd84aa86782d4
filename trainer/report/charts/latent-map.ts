import { symmetricEigen } from '../../model/symmetric-eigen.js';
import { type LatentMap, MAX_POINTS, type ScoredPoints } from '../chart-data.js';
import type { WindowSet } from '../report-input.js';
import { evenIndices, pick } from './sample.js';

/** x = code · axes[0], y = code · axes[1] after centring: a linear map from the bottleneck to the page. */
export interface Projection {
  mean: Float64Array;
  axes: [Float64Array, Float64Array];
  /** Share of the fitted codes' variance along each axis, in [0, 1]. */
  explained: [number, number];
}

/** The top two principal axes of row-major [rows, width] codes (width ≥ 2). */
export function principalPlane(codes: Float32Array, width: number): Projection {
  const rows = codes.length / width;
  const mean = new Float64Array(width);
  for (let i = 0; i < codes.length; i++) mean[i % width] += codes[i] / rows;
  const cov = new Float64Array(width * width);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < width; i++) {
      const di = codes[r * width + i] - mean[i];
      for (let j = 0; j < width; j++) cov[i * width + j] += (di * (codes[r * width + j] - mean[j])) / rows;
    }
  }
  const { values, vectors } = symmetricEigen(cov, width);
  const total = values.reduce((s, v) => s + Math.max(0, v), 0);
  const axis = (k: number) => Float64Array.from({ length: width }, (_, i) => vectors[i * width + k]);
  const share = (k: number) => (total > 0 ? Math.max(0, values[k]) / total : 0);
  return { mean, axes: [axis(0), axis(1)], explained: [share(0), share(1)] };
}

function project(set: WindowSet, width: number, p: Projection | undefined, indices: number[]): ScoredPoints {
  const x: number[] = [];
  const y: number[] = [];
  for (const r of indices) {
    const code = set.codes.subarray(r * width, (r + 1) * width);
    if (!p) {
      x.push(code[0]);
      y.push(width === 1 ? set.scores.fp32[r] : code[1]);
      continue;
    }
    let a = 0;
    let b = 0;
    for (let i = 0; i < width; i++) {
      a += (code[i] - p.mean[i]) * p.axes[0][i];
      b += (code[i] - p.mean[i]) * p.axes[1][i];
    }
    x.push(a);
    y.push(b);
  }
  return { x, y, score: pick(set.scores.fp32, indices) };
}

const percent = (share: number) => `${Math.round(share * 100)} %`;

/**
 * The map of the bottleneck: codes as they are when it is 1 or 2 wide, else projected on the principal plane
 * of the normal windows' codes (so normal variation spreads the map and anomalies show where they leave it).
 */
export function latentMap(
  holdout: WindowSet,
  anomalous: WindowSet,
  width: number,
  threshold: number,
): LatentMap {
  const projection = width > 2 ? principalPlane(holdout.codes, width) : undefined;
  const sample = (set: WindowSet) => evenIndices(set.codes.length / width, MAX_POINTS);
  const axes: [string, string] = projection
    ? [
        `PC1 of the ${width} codes (${percent(projection.explained[0])} of normal variance)`,
        `PC2 (${percent(projection.explained[1])})`,
      ]
    : width === 2
      ? ['bottleneck unit 1', 'bottleneck unit 2']
      : ['bottleneck code', 'fp32 score (MSE, log scale)'];
  return {
    bottleneck: width,
    axes,
    yIsScore: width === 1,
    threshold,
    normal: project(holdout, width, projection, sample(holdout)),
    anomalous: project(anomalous, width, projection, sample(anomalous)),
  };
}
