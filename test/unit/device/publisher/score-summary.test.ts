import { describe, expect, it } from 'vitest';
import { ScoreSummarizer } from '../../../../device/publisher/score-summary.js';

describe('ScoreSummarizer', () => {
  it('summarizes each sensor of the period: first and last time, count, mean, p95, max', () => {
    const s = new ScoreSummarizer();
    for (let i = 1; i <= 100; i++) s.add(1, i, 1000 + i);
    s.add(2, 0.5, 5000);
    s.add(2, 1.5, 4000);
    const out = s.flush().sort((a, b) => a.sensorId - b.sensorId);
    expect(out).toEqual([
      { sensorId: 1, from: 1001, to: 1100, count: 100, mean: 50.5, p95: 95, max: 100, p50: 50 },
      { sensorId: 2, from: 4000, to: 5000, count: 2, mean: 1, p95: 1.5, max: 1.5, p50: 0.5 },
    ]);
  });

  it('starts a new period at each flush and ignores non-finite scores', () => {
    const s = new ScoreSummarizer();
    s.add(1, 3, 10);
    s.flush();
    expect(s.flush()).toEqual([]);
    s.add(1, Number.NaN, 20);
    s.add(1, Number.POSITIVE_INFINITY, 21);
    s.add(1, 2, 22);
    expect(s.flush()).toEqual([{ sensorId: 1, from: 22, to: 22, count: 1, mean: 2, p95: 2, max: 2, p50: 2 }]);
  });

  it('adds the threshold and variant it was given to every summary', () => {
    const s = new ScoreSummarizer(Math.random, { threshold: 1.46, variant: 'int8' });
    s.add(3, 0.61, 1);
    expect(s.flush()[0]).toMatchObject({ sensorId: 3, p50: 0.61, threshold: 1.46, variant: 'int8' });
  });

  it('keeps memory bounded on long periods; count, mean and max stay exact', () => {
    const s = new ScoreSummarizer(() => 0.999);
    for (let i = 0; i < 20_000; i++) s.add(1, i % 100, i);
    const [sum] = s.flush();
    expect(sum).toMatchObject({ count: 20_000, max: 99, mean: 49.5 });
    expect(sum!.p95).toBeGreaterThanOrEqual(90);
  });
});
