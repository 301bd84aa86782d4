import { describe, expect, it } from 'vitest';
import { tailQuantile } from '../../../../shared/stats/pot-tail.js';
import {
  bootstrapFar,
  clopperPearsonUpper,
  noExceedanceInterval,
} from '../../../../trainer/calibration/far-interval.js';
import { excessCount, fitTail, largest } from '../../../../trainer/calibration/tail-fit.js';
import { calibrateThreshold, tailThreshold, thresholdAt } from '../../../../trainer/calibration/threshold.js';
import { SeededRandom } from '../../../../trainer/model/seeded-random.js';

const rng = new SeededRandom(2024);
/** Exp(1) draws by inversion: the true rate above t is e^(−t), so a threshold's real FAR is known exactly. */
const exponential = (n: number) => Float64Array.from({ length: n }, () => -Math.log(1 - rng.next()));
/** GPD(1, ξ) draws by inversion: true rate above t is (1 + ξt)^(−1/ξ). */
const pareto = (n: number, xi: number) =>
  Float64Array.from({ length: n }, () => ((1 - rng.next()) ** -xi - 1) / xi);

describe('peaks-over-threshold tail fit', () => {
  it('picks N_u = max(5 % of n, 2qn, min(20, n/2)), capped at 1000 and n - 1', () => {
    expect(excessCount(60, 0.005)).toBe(20);
    expect(excessCount(30, 0.005)).toBe(15);
    expect(excessCount(10000, 0.005)).toBe(500);
    expect(excessCount(1000, 0.2)).toBe(400);
    expect(excessCount(1e6, 0.005)).toBe(1000);
  });

  it('largest() returns the k largest values in ascending order', () => {
    const x = exponential(997);
    const expected = Float64Array.from(x)
      .sort()
      .subarray(997 - 50);
    expect(Array.from(largest(x.slice(), 50))).toEqual(Array.from(expected));
  });

  it('exponential scores: the threshold at q = 0.0005 from 20000 windows is ln(2000) within 5 %', () => {
    const c = calibrateThreshold(exponential(20000), 0.0005);
    expect(c.method).toBe('gpd-tail');
    expect(Math.abs(c.threshold / Math.log(2000) - 1)).toBeLessThan(0.05);
  });

  it('heavy tail ξ = 0.3: the free shape is kept (likelihood-ratio test) and the threshold lands near the truth', () => {
    const r = fitTail(pareto(20000, 0.3), 0.0005);
    expect(r.fit?.method).toBe('mle');
    expect(r.deviance).toBeGreaterThan(3.84);
    expect(Math.abs((r.tail?.xi ?? 0) - 0.3)).toBeLessThan(0.1);
    // True quantile at 0.0005: ((0.0005)^(−0.3) − 1)/0.3 = 30.2696...
    const truth = (0.0005 ** -0.3 - 1) / 0.3;
    expect(Math.abs(tailQuantile(r.tail!, 0.0005) / truth - 1)).toBeLessThan(0.15);
  });

  it('extrapolates from 60 windows to q = 0.005: median true FAR within 2x of q, where the holdout max sits at ~1/n', () => {
    const q = 0.005;
    const tail: number[] = [];
    const max: number[] = [];
    for (let rep = 0; rep < 100; rep++) {
      const x = exponential(60);
      tail.push(Math.exp(-tailThreshold(x, q).threshold)); // calibrateThreshold's threshold, without the interval
      max.push(Math.exp(-thresholdAt(x, q)));
    }
    const median = (a: number[]) => a.sort((p, r) => p - r)[a.length >> 1];
    expect(median(tail)).toBeGreaterThan(q / 2);
    expect(median(tail)).toBeLessThan(2 * q);
    // The empirical rule's median true rate is 1 − 0.5^(1/60) = 0.0115 (the max of 60 uniforms).
    expect(median(max)).toBeGreaterThan(1.5 * q);
  });
});

describe('guards and the conservative rule', () => {
  it('too few windows: conservative threshold = max(holdout max, exponential tail), reason given', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const c = calibrateThreshold(x, 0.005);
    expect(c.method).toBe('conservative');
    expect(c.tail).toBeUndefined();
    expect(c.fallback).toMatch(/only 6 scores above/);
    // u = 6, mean excess 3.5, ζ = 6/12: u + 3.5·ln(0.5/0.005) = 6 + 3.5·ln 100.
    expect(c.threshold).toBeCloseTo(6 + 3.5 * Math.log(100), 10);
    expect(c.threshold).toBeGreaterThanOrEqual(12);
  });

  it('contaminated holdout (a few huge outliers): implausible shape refused, nothing seen is flagged', () => {
    const x = [...exponential(200), 50, 80, 120, 200, 400, 900, 2000, 5000, 9000, 20000];
    const c = calibrateThreshold(x, 0.005);
    expect(c.method).toBe('conservative');
    expect(c.fallback).toMatch(/shape ξ = .* outside the plausible/);
    expect(c.threshold).toBeGreaterThanOrEqual(20000);
    // Clopper-Pearson for 0 of 210: upper end 1 − 0.05^(1/210).
    expect(c.far.hi).toBeCloseTo(1 - 0.05 ** (1 / 210), 12);
  });
});

describe('false-alarm rate interval (moving-block bootstrap)', () => {
  it('contains the target, narrows with more data, and is reproducible', () => {
    const q = 0.005;
    const small = exponential(100);
    const large = exponential(5000);
    const a = calibrateThreshold(small, q).far;
    const b = calibrateThreshold(large, q).far;
    for (const f of [a, b]) {
      expect(f.lo).toBeLessThanOrEqual(q);
      expect(f.hi).toBeGreaterThanOrEqual(q);
    }
    expect(b.hi - b.lo).toBeLessThan(a.hi - a.lo);
    const t = calibrateThreshold(small, q).threshold;
    expect(bootstrapFar(small, t, q, q)).toEqual(bootstrapFar(small, t, q, q));
  });

  it('covers the true rate of its threshold in most exponential samples, rarely from below (nominal 90 %)', () => {
    let covered = 0;
    let unsafe = 0;
    const reps = 40;
    for (let rep = 0; rep < reps; rep++) {
      const c = calibrateThreshold(exponential(400), 0.005);
      const truth = Math.exp(-c.threshold);
      if (truth >= c.far.lo && truth <= c.far.hi) covered++;
      if (truth > c.far.hi) unsafe++;
    }
    // Binomial(40, 0.9) is below 30 with probability < 0.3 %; a bootstrap that ignored the fit's variance
    // (e.g. a fixed ±10 %) would cover far less. Misses above the interval (more alarms than promised) should
    // be ~5 %: at most 5 of 40.
    expect(covered).toBeGreaterThanOrEqual(30);
    expect(unsafe).toBeLessThanOrEqual(5);
  });

  it('no exceedance in n windows: Clopper-Pearson [0, 1 − 0.05^(1/n)]', () => {
    expect(noExceedanceInterval(59, 0.001).hi).toBeCloseTo(1 - 0.05 ** (1 / 59), 12);
    expect(noExceedanceInterval(59, 0.001).lo).toBe(0);
  });
});

describe('Clopper-Pearson upper bound (caps the bootstrap interval)', () => {
  it('matches the closed form at k = 0 and the beta quantile identity for k > 0', () => {
    expect(clopperPearsonUpper(0, 94)).toBeCloseTo(1 - 0.05 ** (1 / 94), 14);
    // k = n − 1: P(Bin(n, p) ≤ n − 1) = 1 − p^n = 0.05, so p = 0.95^(1/n).
    expect(clopperPearsonUpper(9, 10)).toBeCloseTo(0.95 ** (1 / 10), 10);
    // k = 1, n = 2: (1 − p)² + 2p(1 − p) = 1 − p² = 0.05, p = √0.95.
    expect(clopperPearsonUpper(1, 2)).toBeCloseTo(Math.sqrt(0.95), 10);
    expect(clopperPearsonUpper(5, 5)).toBe(1);
  });

  it('bounds the tail-fit interval of a short holdout by what the holdout saw', () => {
    const x = exponential(94);
    const c = calibrateThreshold(x, 0.005);
    const above = x.filter((v) => v > c.threshold).length;
    expect(c.far.hi).toBeLessThanOrEqual(Math.max(0.005, clopperPearsonUpper(above, 94)) + 1e-15);
  });
});
