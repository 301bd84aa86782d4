import { describe, expect, it } from 'vitest';
import {
  describeThresholdRule,
  isQuantileRule,
  TRAINER_THRESHOLD,
  thresholdFromScores,
} from '../../../eval/threshold-rule.js';

describe('thresholdFromScores', () => {
  it('is factor × the linear-interpolated quantile (numpy default)', () => {
    const scores = [5, 1, 3, 2, 4]; // sorted 1..5; q0.9 -> h = 3.6 -> 4.6
    expect(thresholdFromScores(scores, { quantile: 0.9, factor: 2 })).toBeCloseTo(9.2, 12);
    expect(thresholdFromScores(scores, { quantile: 1, factor: 4 / 3 })).toBeCloseTo(20 / 3, 12);
    expect(thresholdFromScores(scores, { quantile: 0, factor: 1 })).toBe(1);
  });

  it('refuses an empty score list and impossible rules', () => {
    expect(() => thresholdFromScores([], { quantile: 0.9, factor: 1 })).toThrow(/no scores/);
    expect(() => thresholdFromScores([1], { quantile: 1.5, factor: 1 })).toThrow(/quantile/);
    expect(() => thresholdFromScores([1], { quantile: 0.5, factor: 0 })).toThrow(/factor/);
  });
});

describe('threshold rules in words', () => {
  it('tells the quantile rules from the trainer tail-fit rule and names each', () => {
    expect(isQuantileRule({ quantile: 1, factor: 0.9 })).toBe(true);
    expect(isQuantileRule(TRAINER_THRESHOLD)).toBe(false);
    expect(describeThresholdRule({ quantile: 1, factor: 0.9 }, 'the scores')).toBe(
      '0.9 x the maximum of the scores',
    );
    expect(describeThresholdRule({ quantile: 0.999, factor: 4 / 3 }, 'x')).toBe(
      '1.3333 x the 0.999 quantile of x',
    );
    expect(describeThresholdRule(TRAINER_THRESHOLD, 'x')).toMatch(/GPD tail of its holdout/);
  });
});
