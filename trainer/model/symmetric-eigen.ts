/**
 * Eigen-decomposition of a symmetric matrix by the cyclic Jacobi method: plain, exact to float64 rounding and
 * deterministic (no random start), which is what a reproducible PCA needs. O(d³) per sweep, usually < 10
 * sweeps: ~0.1 s at d = 256, tens of seconds past d = 1000.
 */
export interface SymmetricEigen {
  /** Descending. */
  values: Float64Array;
  /** Column j of this row-major d x d matrix is the unit eigenvector of values[j]; its largest entry is > 0. */
  vectors: Float64Array;
}

const MAX_SWEEPS = 100;

/** `a`: row-major d x d, symmetric (only read, not modified). */
export function symmetricEigen(a: Float64Array, d: number): SymmetricEigen {
  if (a.length !== d * d) throw new RangeError(`symmetricEigen: ${a.length} values is not ${d} x ${d}`);
  const m = Float64Array.from(a);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  let scale = 0;
  for (let i = 0; i < d * d; i++) scale = Math.max(scale, Math.abs(m[i]));
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += m[p * d + q] ** 2;
    if (off <= (1e-15 * scale) ** 2) break;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) rotate(m, v, d, p, q);
    }
  }
  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => m[j * d + j] - m[i * d + i]);
  const values = Float64Array.from(order, (i) => m[i * d + i]);
  const vectors = new Float64Array(d * d);
  order.forEach((src, dst) => {
    let big = 0;
    for (let r = 0; r < d; r++) if (Math.abs(v[r * d + src]) > Math.abs(v[big * d + src])) big = r;
    const sign = v[big * d + src] < 0 ? -1 : 1;
    for (let r = 0; r < d; r++) vectors[r * d + dst] = sign * v[r * d + src];
  });
  return { values, vectors };
}

/** One Jacobi rotation zeroing m[p][q] (Numerical Recipes' formulation, stable for tiny angles). */
function rotate(m: Float64Array, v: Float64Array, d: number, p: number, q: number): void {
  const apq = m[p * d + q];
  if (apq === 0) return;
  const theta = (m[q * d + q] - m[p * d + p]) / (2 * apq);
  const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  for (let k = 0; k < d; k++) {
    const mkp = m[k * d + p];
    const mkq = m[k * d + q];
    m[k * d + p] = c * mkp - s * mkq;
    m[k * d + q] = s * mkp + c * mkq;
  }
  for (let k = 0; k < d; k++) {
    const mpk = m[p * d + k];
    const mqk = m[q * d + k];
    m[p * d + k] = c * mpk - s * mqk;
    m[q * d + k] = s * mpk + c * mqk;
  }
  for (let k = 0; k < d; k++) {
    const vkp = v[k * d + p];
    const vkq = v[k * d + q];
    v[k * d + p] = c * vkp - s * vkq;
    v[k * d + q] = s * vkp + c * vkq;
  }
}
