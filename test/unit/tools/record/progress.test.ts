import { describe, expect, it } from 'vitest';
import { formatProgress, RateMeter } from '../../../../tools/record/progress.js';

const counters = { samples: 48000, bad: 2, gaps: 1, missingFrames: 3, ignored: 0 };

describe('RateMeter', () => {
  it('measures over the recent window, so a stall shows as a falling rate', () => {
    const m = new RateMeter(2000);
    expect(m.rate()).toBeUndefined();
    for (let t = 0; t <= 4000; t += 250) m.add(t, t * 3.2);
    expect(m.rate()).toBeCloseTo(3200, 6);
    m.add(5000, 4000 * 3.2); // nothing for a second
    expect(m.rate()!).toBeLessThan(2400);
    m.reset(0, 5000, 16000);
    expect(m.rate()).toBeCloseTo(3200, 6);
  });
});

describe('formatProgress', () => {
  it('shows rate, samples against the target, bad records and gaps', () => {
    expect(formatProgress({ counters, rate: 3199.84, sampleRate: 3200, maxSamples: 96000 })).toBe(
      '3199.8 Hz | 48000/96000 samples (15.0 s / 30.0 s) | 2 bad | 1 gaps (3 frames lost)',
    );
  });

  it('without a target or a rate yet, and with ignored batches and a source problem', () => {
    expect(
      formatProgress({
        counters: { ...counters, gaps: 0, ignored: 4 },
        rate: undefined,
        sampleRate: 3200,
        maxSamples: Number.POSITIVE_INFINITY,
        sourceState: 'reconnecting: ENOENT',
      }),
    ).toBe('-- Hz | 48000 samples (15.0 s) | 2 bad | 0 gaps | 4 ignored | reconnecting: ENOENT');
  });
});
