import { describe, expect, it } from 'vitest';
import { MAX_POINTS } from '../../../../../trainer/report/chart-data.js';
import { lossChart } from '../../../../../trainer/report/charts/loss.js';
import type { TrainingSummary } from '../../../../../trainer/summary.js';

function model(kind: string, epochs: number, bestEpoch: number): TrainingSummary['model'] {
  const loss = Array.from({ length: epochs }, (_, i) => 1 / (i + 1));
  return {
    kind,
    widths: [4],
    parameters: 10,
    denoise: 0,
    epochsRun: epochs,
    bestEpoch,
    stoppedEarly: false,
    loss,
    valLoss: loss.map((v) => v * 1.1),
  };
}

describe('lossChart', () => {
  it('has no chart for pca (closed form: one pseudo-epoch)', () => {
    expect(lossChart(model('pca', 1, 1))).toBeNull();
  });

  it('one point per epoch, 1-based', () => {
    const c = lossChart(model('ae', 3, 2))!;
    expect(c.epoch).toEqual([1, 2, 3]);
    expect(c.train).toEqual([1, 1 / 2, 1 / 3]);
    expect(c.val[1]).toBeCloseTo(1.1 / 2, 12);
    expect(c.bestEpoch).toBe(2);
  });

  it('caps a long run and keeps the epoch whose weights were kept', () => {
    const c = lossChart(model('ae', 5000, 1234))!;
    expect(c.epoch.length).toBeLessThanOrEqual(MAX_POINTS + 1);
    expect(c.epoch).toContain(1234);
    expect(c.train[c.epoch.indexOf(1234)]).toBe(1 / 1234);
    expect(c.epoch).toEqual([...c.epoch].sort((a, b) => a - b));
  });
});
