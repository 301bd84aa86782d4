import { describe, expect, it } from 'vitest';
import type { TrainingSummary, VariantThreshold } from '../../../trainer/summary.js';
import { trainingWarnings } from '../../../trainer/warnings.js';

const good: VariantThreshold = {
  threshold: 1,
  holdoutFar: 0.004,
  anomalyDetectRate: 1,
  method: 'gpd-tail',
  expectedFar: { estimate: 0.005, lo: 0.003, hi: 0.008 },
  falseAlarmsPerDay: { windowsPerDay: 86400, estimate: 432, lo: 259, hi: 691 },
  promisesTarget: true,
};

function summary(fp32: Partial<VariantThreshold>, int8: Partial<VariantThreshold>): TrainingSummary {
  return {
    windows: { train: 1000, val: 100, holdout: 80, anomalous: 80 },
    thresholds: {
      rule: '',
      targetFar: 0.005,
      farResolution: 1 / 80,
      fp32: { ...good, ...fp32 },
      int8: { ...good, ...int8 },
    },
    exportParityMaxAbs: 0,
    int8: { spearmanHoldout: 1, spearmanAnomalous: 1, optimizedOps: ['QGemm'] },
  } as unknown as TrainingSummary;
}

const warn = (s: TrainingSummary) => trainingWarnings(s, 0.005, [new Float32Array([0, 1])], 1, ['x']);

describe('threshold warnings', () => {
  it('say nothing when both variants keep their promise', () => {
    expect(warn(summary({}, {}))).toEqual([]);
  });

  it('name the variant, the reason and the rule when the tail fit was refused', () => {
    const w = warn(
      summary(
        {},
        { method: 'conservative', fallback: 'only 6 scores above the initial threshold (need 10)' },
      ),
    );
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(
      /^int8 threshold: the tail fit of the 80 holdout scores is not trusted \(only 6 scores/,
    );
    expect(w[0]).toMatch(/conservative rule/);
  });

  it('say plainly when the holdout is too short to promise the target, with the false alarms per day', () => {
    const short = {
      promisesTarget: false,
      expectedFar: { estimate: 0.005, lo: 0.002, hi: 0.031 },
      falseAlarmsPerDay: { windowsPerDay: 86400, estimate: 432, lo: 173, hi: 2678 },
    };
    const w = warn(summary(short, short));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/80 holdout windows are too few to promise a false-alarm rate of 0.005/);
    expect(w[0]).toMatch(
      /fp32 0.031, int8 0.031 of windows \(int8: 2,678 flagged normal windows\/day at 86,400/,
    );
  });
});
