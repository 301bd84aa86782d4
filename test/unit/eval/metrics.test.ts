import { describe, expect, it } from 'vitest';
import { binaryMetrics, confusionOf, rocAuc } from '../../../eval/metrics.js';

describe('confusionOf / binaryMetrics (SKAB core/metrics.py formulas)', () => {
  it('counts a hand-made case and applies F1 = TP/(TP+(FN+FP)/2), FAR and MAR in %', () => {
    //              TP  TP  FN  FP  TN  TN  TN  FP  TP  FN
    const pred = [1, 1, 0, 1, 0, 0, 0, 1, 1, 0];
    const label = [1, 1, 1, 0, 0, 0, 0, 0, 1, 1];
    const c = confusionOf(pred, label);
    expect(c).toEqual({ tp: 3, fp: 2, tn: 3, fn: 2 });
    const m = binaryMetrics(c);
    expect(m.f1).toBeCloseTo(3 / (3 + (2 + 2) / 2), 12); // 0.6
    expect(m.far).toBeCloseTo((2 / (2 + 3)) * 100, 12); // 40 %
    expect(m.mar).toBeCloseTo((2 / (2 + 3)) * 100, 12); // 40 %
  });

  it('gives F1 equal to the usual 2PR/(P+R) on an asymmetric case', () => {
    const m = binaryMetrics({ tp: 8, fp: 4, tn: 80, fn: 2 });
    const p = 8 / 12;
    const r = 8 / 10;
    expect(m.f1).toBeCloseTo((2 * p * r) / (p + r), 12);
    expect(m.far).toBeCloseTo(400 / 84, 12);
    expect(m.mar).toBeCloseTo(20, 12);
  });

  it('is the null and the perfect detector of the leaderboard at the extremes', () => {
    const labels = [0, 0, 1, 1, 1];
    expect(binaryMetrics(confusionOf([0, 0, 0, 0, 0], labels))).toMatchObject({ f1: 0, far: 0, mar: 100 });
    expect(binaryMetrics(confusionOf(labels, labels))).toMatchObject({ f1: 1, far: 0, mar: 0 });
  });

  it('reports 0 instead of NaN for an empty denominator', () => {
    expect(binaryMetrics({ tp: 0, fp: 0, tn: 5, fn: 0 })).toMatchObject({ f1: 0, far: 0, mar: 0 });
  });

  it('refuses predictions and labels of different lengths', () => {
    expect(() => confusionOf([1, 0], [1])).toThrow(/2 predictions for 1 labels/);
  });
});

describe('rocAuc', () => {
  it('is 1 for a perfect ranking, 0 for a reversed one', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
  });

  it('counts ties one half (hand-computed pairs)', () => {
    // positives 0.5, 0.7; negatives 0.5, 0.3, 0.7.
    // pairs (pos, neg): (0.5,0.5)=½ (0.5,0.3)=1 (0.5,0.7)=0 (0.7,0.5)=1 (0.7,0.3)=1 (0.7,0.7)=½ -> 4/6
    expect(rocAuc([0.5, 0.5, 0.3, 0.7, 0.7], [1, 0, 0, 1, 0])).toBeCloseTo(4 / 6, 12);
  });

  it('is 0.5 when every score ties', () => {
    expect(rocAuc([2, 2, 2, 2, 2], [1, 0, 1, 0, 0])).toBe(0.5);
  });

  it('matches a brute-force pair count on random data with many ties', () => {
    let seed = 12345;
    const rnd = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const scores = Array.from({ length: 300 }, () => Math.floor(rnd() * 20));
    const labels = scores.map((s) => (rnd() < 0.2 + s / 40 ? 1 : 0));
    let wins = 0;
    let pairs = 0;
    scores.forEach((sp, i) => {
      if (!labels[i]) return;
      scores.forEach((sn, j) => {
        if (labels[j]) return;
        pairs++;
        wins += sp > sn ? 1 : sp === sn ? 0.5 : 0;
      });
    });
    expect(rocAuc(scores, labels)).toBeCloseTo(wins / pairs, 12);
  });

  it('is undefined when one class is absent', () => {
    expect(rocAuc([1, 2, 3], [0, 0, 0])).toBeUndefined();
    expect(rocAuc([1, 2, 3], [1, 1, 1])).toBeUndefined();
  });
});
