import { describe, expect, it } from 'vitest';
import { perturbWindows } from '../../../../trainer/calibration/synthetic-anomalies.js';
import { SeededRandom } from '../../../../trainer/model/seeded-random.js';

describe('perturbWindows', () => {
  it('changes every window by a large amount and leaves the input untouched', () => {
    const channels = 2;
    const window = 64;
    const count = 10;
    const input = new SeededRandom(3).fillNormal(new Float32Array(count * channels * window));
    const copy = input.slice();
    const out = perturbWindows(input, channels, window, [1, 1], new SeededRandom(9));
    expect(input).toEqual(copy);
    expect(out.length).toBe(input.length);
    for (let w = 0; w < count; w++) {
      let change = 0;
      for (let i = w * channels * window; i < (w + 1) * channels * window; i++)
        change += (out[i] - input[i]) ** 2;
      // At least 1.5 std on one channel somewhere in the window (impulses are sparse but 3+ std each).
      expect(Math.sqrt(change)).toBeGreaterThan(1.5);
    }
  });

  it('is reproducible for a seed', () => {
    const input = new Float32Array(2 * 32).fill(1);
    const a = perturbWindows(input, 1, 32, [1], new SeededRandom(4));
    const b = perturbWindows(input, 1, 32, [1], new SeededRandom(4));
    expect(a).toEqual(b);
  });
});
