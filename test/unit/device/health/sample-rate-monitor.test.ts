import { describe, expect, it } from 'vitest';
import { SampleRateMonitor, sampleRateMonitorFor } from '../../../../device/health/sample-rate-monitor.js';

const monitor = () => new SampleRateMonitor({ expectedHz: 1000, tolerance: 0.05, windowMs: 10_000 });

/** Feeds `hz` samples per second in 50 ms chunks from `fromMs` for `seconds`. */
function feed(m: SampleRateMonitor, hz: number, fromMs: number, seconds: number, sensorId = 1): number {
  const end = fromMs + seconds * 1000;
  for (let t = fromMs; t < end; t += 50) m.add(sensorId, hz / 20, t);
  return end;
}

describe('SampleRateMonitor', () => {
  it('measures the received rate over the last window', () => {
    const m = monitor();
    const t = feed(m, 1000, 0, 12);
    const r = m.rates(t).get(1)!;
    expect(r.measuredHz).toBeGreaterThan(990);
    expect(r.measuredHz).toBeLessThan(1010);
    expect(r).toMatchObject({ judged: true, mismatch: false });
  });

  it('flags a rate off by more than the tolerance, per sensor, once a whole window was seen', () => {
    const m = monitor();
    feed(m, 1000, 0, 12, 1);
    const t = feed(m, 800, 0, 12, 2);
    expect(m.rates(t).get(2)).toMatchObject({ judged: true, mismatch: true });
    expect(m.rates(t).get(1)!.mismatch).toBe(false);
    expect(m.section(t)).toMatchObject({
      expectedHz: 1000,
      mismatch: true,
      sensors: { '2': { judged: true } },
    });
    // Too early to judge: a sensor seen for 3 s is not flagged, whatever its rate.
    const early = monitor();
    const e = feed(early, 500, 0, 3);
    expect(early.rates(e).get(1)).toMatchObject({ judged: false, mismatch: false });
    expect(early.rates(e).get(1)!.measuredHz).toBeCloseTo(500, -1);
  });

  it('follows a change: old samples leave the window', () => {
    const m = monitor();
    let t = feed(m, 700, 0, 20);
    expect(m.rates(t).get(1)!.mismatch).toBe(true);
    t = feed(m, 1000, t, 11);
    expect(m.rates(t).get(1)!.mismatch).toBe(false);
    // The stream stops: over the next window the rate falls to 0.
    expect(m.rates(t + 11_000).get(1)).toMatchObject({ measuredHz: 0, mismatch: true });
  });

  it('exists for real-time sources only, and not with tolerance 0', () => {
    const serial = {
      source: 'serial',
      realtime: false,
      sampleRate: 1000,
      sampleRateTolerance: 0.05,
    } as const;
    expect(sampleRateMonitorFor(serial)).toBeInstanceOf(SampleRateMonitor);
    expect(sampleRateMonitorFor({ ...serial, source: 'file', realtime: true })).toBeDefined();
    expect(sampleRateMonitorFor({ ...serial, source: 'file' })).toBeUndefined();
    expect(sampleRateMonitorFor({ ...serial, source: 'stdin' })).toBeUndefined();
    expect(sampleRateMonitorFor({ ...serial, sampleRateTolerance: 0 })).toBeUndefined();
  });
});
