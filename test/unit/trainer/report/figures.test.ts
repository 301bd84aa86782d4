import { describe, expect, it } from 'vitest';
import type { ReportCharts } from '../../../../trainer/report/chart-data.js';
import { figures } from '../../../../trainer/report/figures.js';
import type { TrainingSummary } from '../../../../trainer/summary.js';

const summary = {
  model: { kind: 'pca', bestEpoch: 1, loss: [0.5], valLoss: [0.6] },
  int8: { spearmanHoldout: 0.99912, spearmanAnomalous: 0.99871 },
} as unknown as TrainingSummary;

function charts(loss: ReportCharts['loss'], bottleneck: number): ReportCharts {
  return {
    loss,
    latent: { bottleneck },
    spectra: { kind: 'bands' },
  } as unknown as ReportCharts;
}

describe('figures', () => {
  it('one titled, captioned figure per chart, in page order', () => {
    const figs = figures(summary, charts({ epoch: [1], train: [1], val: [1], bestEpoch: 1 }, 5), 0.005);
    expect(figs.map((f) => f.id)).toEqual(['loss', 'scores', 'int8', 'groupError', 'latent', 'spectra']);
    for (const f of figs) {
      expect(f.title.length).toBeGreaterThan(5);
      expect(f.caption).toMatch(/[.)]$/);
      expect(f.note).toBeUndefined();
    }
    const byId = Object.fromEntries(figs.map((f) => [f.id, f]));
    expect(byId.scores.caption).toContain('0.5 %');
    expect(byId.int8.caption).toContain('0.99912');
    expect(byId.latent.caption).toContain('projected onto the two principal axes');
  });

  it('pca: a note instead of the loss chart; a 2-wide bottleneck is not projected', () => {
    const figs = figures(summary, charts(null, 2), 0.001);
    expect(figs[0].note).toMatch(/closed form.*training loss 0\.50000, validation loss 0\.60000/);
    expect(figs.find((f) => f.id === 'latent')!.caption).not.toContain('projected');
  });
});
