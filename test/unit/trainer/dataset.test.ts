import { describe, expect, it } from 'vitest';
import { ThrumError } from '../../../shared/errors.js';
import { rawWindows, requireWindows, splitRecordings } from '../../../trainer/dataset.js';
import type { Recording } from '../../../trainer/loaders/recording.js';

const rec = (n: number, channels = 2): Recording => ({
  samples: Float32Array.from({ length: n * channels }, (_, i) => i),
  channels,
  sampleRate: 100,
  names: ['a', 'b'].slice(0, channels),
  source: 'mem',
  notes: [],
});

describe('splitRecordings', () => {
  it('cuts each recording by time into train | val | holdout without overlap', () => {
    const s = splitRecordings([rec(100)], 0.2, 0.25);
    expect(s.train[0].length / 2).toBe(60);
    expect(s.val[0].length / 2).toBe(20);
    expect(s.holdout[0].length / 2).toBe(20);
    expect(s.val[0][0]).toBe(s.train[0].at(-1)! + 1);
    expect(s.holdout[0][0]).toBe(s.val[0].at(-1)! + 1);
  });

  it('explains which part is too short for a window', () => {
    const s = splitRecordings([rec(100)], 0.2, 0.1);
    const spec = { kinds: ['raw' as const], window: 50, hop: 1, channels: 2, sampleRate: 100 };
    expect(() => requireWindows(s, spec, 100)).toThrow(ThrumError);
    expect(() => requireWindows(s, spec, 100)).toThrow(
      /holdout part .* shorter than one window of 50: .*larger --holdout/,
    );
  });
});

describe('rawWindows', () => {
  it('cycles through the windows to the requested count', () => {
    const spec = { kinds: ['raw' as const], window: 2, hop: 2, channels: 1, sampleRate: 1 };
    const w = rawWindows([Float32Array.from([1, 2, 3, 4])], spec, 3);
    expect(Array.from(w)).toEqual([1, 2, 3, 4, 1, 2]);
  });
});
