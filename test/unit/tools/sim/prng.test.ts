import { describe, expect, it } from 'vitest';
import { Prng } from '../../../../tools/sim/prng.js';

function draw(p: Prng, n: number): number[] {
  return Array.from({ length: n }, () => p.nextUint32());
}

describe('Prng', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    expect(draw(new Prng(42), 50)).toEqual(draw(new Prng(42), 50));
    expect(draw(new Prng(42), 50)).not.toEqual(draw(new Prng(43), 50));
    expect(draw(new Prng(2 ** 40 + 1), 10)).not.toEqual(draw(new Prng(1), 10));
  });

  it('gives uniforms in [0, 1) with the right mean and spread', () => {
    const p = new Prng(7);
    const n = 200_000;
    let sum = 0;
    let sumSq = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const u = p.uniform();
      sum += u;
      sumSq += u * u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    const mean = sum / n;
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(mean).toBeCloseTo(0.5, 2);
    expect(sumSq / n - mean * mean).toBeCloseTo(1 / 12, 2);
  });

  it('gives standard normals (mean 0, variance 1, ~4.6 % beyond 2 sigma)', () => {
    const p = new Prng(11);
    const n = 200_000;
    let sum = 0;
    let sumSq = 0;
    let tails = 0;
    for (let i = 0; i < n; i++) {
      const v = p.normal();
      sum += v;
      sumSq += v * v;
      if (Math.abs(v) > 2) tails++;
    }
    expect(sum / n).toBeCloseTo(0, 1);
    expect(sumSq / n).toBeCloseTo(1, 1);
    expect(tails / n).toBeGreaterThan(0.04);
    expect(tails / n).toBeLessThan(0.052);
  });

  it('forks independent, reproducible streams', () => {
    const a = new Prng(5);
    const b = new Prng(5);
    const forkA = draw(a.fork(1), 20);
    expect(draw(b.fork(1), 20)).toEqual(forkA);
    expect(draw(new Prng(5).fork(2), 20)).not.toEqual(forkA);
  });
});
