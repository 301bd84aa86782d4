import { describe, expect, it } from 'vitest';
import { parseSchedule, resolveSchedule } from '../../../../tools/sim/schedule.js';
import { VibrationSim } from '../../../../tools/sim/vibration-sim.js';
import { amplitudeSpectrum, channel, FS, peakNear, SHAFT_HZ, simulate } from './signal-analysis.js';

function make(seed: number, schedule = ''): VibrationSim {
  return new VibrationSim({
    sampleRate: FS,
    rpm: 1780,
    mains: 50,
    seed,
    faults: resolveSchedule(parseSchedule(schedule)),
  });
}

function inBlocks(sim: VibrationSim, total: number, block: number): Float32Array {
  const out = new Float32Array(total * 3);
  for (let at = 0; at < total; at += block) {
    const n = Math.min(block, total - at);
    sim.fill(out.subarray(at * 3, (at + n) * 3));
  }
  return out;
}

describe('VibrationSim reproducibility', () => {
  it('gives the same samples for the same seed whatever the block size, and others for another seed', () => {
    const a = inBlocks(make(9, 'bearing-inner@0.5s'), 6400, 6400);
    const b = inBlocks(make(9, 'bearing-inner@0.5s'), 6400, 77);
    const c = inBlocks(make(10, 'bearing-inner@0.5s'), 6400, 6400);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(make(9).samplesGenerated).toBe(0);
  });

  it('leaves the healthy part untouched: before a fault the stream equals the healthy one, after it differs', () => {
    const healthy = simulate('', 6400, 3);
    const faulty = simulate('imbalance@1s', 6400, 3);
    const at = FS * 3;
    expect(faulty.subarray(0, at)).toEqual(healthy.subarray(0, at));
    expect(faulty.subarray(at)).not.toEqual(healthy.subarray(at));
  });

  it('ends a fault on clear: the 1x line returns to its healthy level', () => {
    const n = 16384;
    const cleared = simulate('imbalance@0s:1,clear@1s', FS + n, 4).subarray(FS * 3);
    const healthy = simulate('', FS + n, 4).subarray(FS * 3);
    const oneX = (s: Float32Array) => peakNear(amplitudeSpectrum(channel(s, 0)), n, SHAFT_HZ);
    expect(oneX(cleared)).toBeCloseTo(oneX(healthy), 4);
  });
});

describe('VibrationSim healthy stream', () => {
  const n = 16384;
  const seconds = 60;
  const data = simulate('', FS * seconds, 5);
  const segments = Array.from({ length: 10 }, (_, i) => data.subarray(i * n * 3, (i + 1) * n * 3));

  it('sits around the physical levels: 1 g gravity on y, ~0.02 g at 1x radial, smaller axial', () => {
    let meanY = 0;
    for (let i = 1; i < data.length; i += 3) meanY += data[i]! / (data.length / 3);
    expect(meanY).toBeCloseTo(1, 2);
    const spec = segments.map((s) =>
      [0, 1, 2].map((axis) => peakNear(amplitudeSpectrum(channel(s, axis)), n, SHAFT_HZ)),
    );
    for (const [x, y, z] of spec) {
      expect(x).toBeGreaterThan(0.012);
      expect(x).toBeLessThan(0.03);
      expect(y).toBeLessThan(x);
      expect(z).toBeLessThan(y);
    }
  });

  it('is stationary-ish: RMS per axis and the 1x line vary little between 5 s segments', () => {
    for (let axis = 0; axis < 3; axis++) {
      const rms = segments.map((s) => Math.sqrt(channel(s, axis).reduce((a, v) => a + v * v, 0) / n));
      const oneX = segments.map((s) => peakNear(amplitudeSpectrum(channel(s, axis)), n, SHAFT_HZ));
      for (const series of [rms, oneX]) {
        const mean = series.reduce((a, v) => a + v, 0) / series.length;
        for (const v of series) expect(Math.abs(v / mean - 1)).toBeLessThan(0.2);
      }
    }
  });

  it('drifts in speed only a little: the 1x line stays within 1 % of rpm/60', () => {
    for (const s of segments) {
      const spec = amplitudeSpectrum(channel(s, 0));
      expect(peakNear(spec, n, SHAFT_HZ, 0.01)).toBeGreaterThan(0.9 * peakNear(spec, n, SHAFT_HZ, 0.05));
    }
  });

  it('never exceeds the ADXL345 full scale, even at the worst severity', () => {
    const worst = simulate(
      'imbalance@0s:1,misalignment@0s:1,looseness@0s:1,bearing-outer@0s:1,bearing-inner@0s:1',
      FS * 2,
    );
    expect(Math.max(...worst.map(Math.abs))).toBeLessThanOrEqual(16);
    expect(worst.every(Number.isFinite)).toBe(true);
  });
});
