import { describe, expect, it } from 'vitest';
import { pickGolden, THRESHOLD_MARGIN } from '../../../../trainer/golden/pick.js';

const thresholds = { fp32: 1, int8: 1.1 };
const all = () => true;

describe('pickGolden', () => {
  it('takes normal windows clearly below both thresholds, spread from quiet to nearly alerting', () => {
    // Scores 0.0, 0.05, ..., 1.5 for both variants.
    const s = Array.from({ length: 31 }, (_, i) => i * 0.05);
    const picked = pickGolden({ fp32: s, int8: s }, thresholds, 'normal', all, 4);
    // Candidates: 0 < s < 0.99 (fp32's threshold is the tighter one): indices 1..19.
    expect(picked).toEqual([1, 7, 13, 19]);
    for (const i of picked) expect(s[i]).toBeLessThan(thresholds.fp32 * (1 - THRESHOLD_MARGIN));
  });

  it('takes anomalous windows clearly above both thresholds, and skips windows a rounding step could flip', () => {
    const fp32 = [0.5, 1.11, 1.12, 2, 3, 50];
    const int8 = [0.5, 1.105, 1.2, 2, 3, 50];
    // 1.105 is within 1 % of int8's 1.1: out. Window 4 is unstable: out.
    expect(pickGolden({ fp32, int8 }, thresholds, 'anomalous', (i) => i !== 4, 8)).toEqual([2, 3, 5]);
  });

  it('never takes a window scoring 0 (its relative error is undefined) and returns fewer when fewer qualify', () => {
    expect(pickGolden({ fp32: [0, 0.2], int8: [0, 0.2] }, thresholds, 'normal', all, 8)).toEqual([1]);
    expect(pickGolden({ fp32: [2], int8: [2] }, thresholds, 'normal', all, 8)).toEqual([]);
  });
});
