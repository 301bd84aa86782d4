import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../device/backoff.js';

describe('backoffDelay', () => {
  it('grows by the factor and stops at the cap', () => {
    const b = { initialMs: 250, maxMs: 10_000, factor: 2, jitter: 0 };
    expect([0, 1, 2, 5, 6, 20, 5000].map((a) => backoffDelay(b, a))).toEqual([
      250, 500, 1000, 8000, 10_000, 10_000, 10_000,
    ]);
  });

  it('takes up to `jitter` off each delay, never adds to it', () => {
    const b = { initialMs: 1000, maxMs: 60_000, factor: 2, jitter: 0.2 };
    expect(backoffDelay(b, 1, () => 0)).toBe(2000);
    expect(backoffDelay(b, 1, () => 0.5)).toBe(1800);
    expect(backoffDelay(b, 1, () => 1)).toBe(1600);
    expect(backoffDelay(b, 10, () => 1)).toBe(48_000);
  });

  it('stays 0 with a 0 initial delay, however many attempts', () => {
    const b = { initialMs: 0, maxMs: 1000, factor: 2, jitter: 0.2 };
    expect(backoffDelay(b, 5000, () => 0.5)).toBe(0);
  });
});
