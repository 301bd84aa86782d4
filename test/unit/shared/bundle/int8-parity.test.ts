import { describe, expect, it } from 'vitest';
import { int8ParityOf } from '../../../../shared/bundle/int8-parity.js';
import type { Manifest } from '../../../../shared/bundle/manifest.js';

const withTraining = (training: object) => ({ training }) as unknown as Manifest;

describe('int8ParityOf', () => {
  it('reads the holdout Spearman and threshold shift the trainer stores in training.summary.int8', () => {
    const m = withTraining({
      summary: { int8: { spearmanHoldout: 0.97, thresholdShift: -0.02, headroom: 4 } },
    });
    expect(int8ParityOf(m)).toEqual({ spearmanHoldout: 0.97, thresholdShift: -0.02 });
  });

  it('is undefined for bundles without it (parity unknown) or with malformed figures', () => {
    expect(int8ParityOf(withTraining({}))).toBeUndefined();
    expect(int8ParityOf(withTraining({ summary: { int8: { spearmanHoldout: '0.99' } } }))).toBeUndefined();
    expect(int8ParityOf(withTraining({ summary: null }))).toBeUndefined();
  });
});
