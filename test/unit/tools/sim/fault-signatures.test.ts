import { describe, expect, it } from 'vitest';
import { bandOf, FeatureExtractor } from '../../../../shared/features/extractor.js';
import type { FeatureSpec } from '../../../../shared/features/spec.js';
import { slidingWindows } from '../../../../shared/windowing.js';
import { FS, SHAFT_HZ, simulate } from './signal-analysis.js';

// The spectrum feature the trainer and device use: 64 linear bands of 25 Hz up to Nyquist, 0.64 s windows.
const SPEC: FeatureSpec = {
  kinds: ['spectrum'],
  window: 2048,
  hop: 2048,
  channels: 3,
  sampleRate: FS,
  spectrum: { bands: 64, maxHz: FS / 2, minHz: 0, scale: 'linear' },
};
const extractor = new FeatureExtractor(SPEC, undefined, ['x', 'y', 'z']);
const BANDS = 64;
const SECONDS = 8;
const X = 0;
const Y = 1;
const Z = 2;

/** Mean log band power per axis over all windows: powers[axis][band]. */
function bandPowers(schedule: string, seed = 1): number[][] {
  const samples = simulate(schedule, FS * SECONDS, seed);
  const sums = Array.from({ length: 3 }, () => new Array<number>(BANDS).fill(0));
  const out = new Float32Array(extractor.size);
  let windows = 0;
  for (const { view } of slidingWindows(samples, SPEC)) {
    extractor.extract(view, out);
    for (const group of extractor.groups) {
      for (let b = 0; b < BANDS; b++) sums[group.channel]![b]! += out[group.start + b]!;
    }
    windows++;
  }
  return sums.map((axis) => axis.map((v) => v / windows));
}

/** Rise in log power (natural log: ln 10 ≈ 2.3 is a tenfold power) of a fault over healthy, per axis and band. */
function rise(schedule: string, healthy: number[][]): number[][] {
  const faulty = bandPowers(schedule);
  return faulty.map((axis, a) => axis.map((v, b) => v - healthy[a]![b]!));
}

const band = (orders: number) => bandOf(SPEC, orders * SHAFT_HZ);
const RESONANCE = bandOf(SPEC, 1200);
const TENFOLD = Math.log(10);

describe('fault signatures in the shared spectrum feature', () => {
  const healthy = bandPowers('');

  it('healthy: another seed gives the same band powers (shaft orders tight, noise bands within chance)', () => {
    const other = bandPowers('', 2);
    const diff = other.map((axis, a) => axis.map((v, b) => Math.abs(v - healthy[a]![b]!)));
    // A noise band averaged over 12 windows wanders by a few tenths in log power; a tone band by less.
    expect(Math.max(...diff.flat())).toBeLessThan(0.8);
    for (const axis of diff) expect(Math.max(axis[band(1)]!, axis[band(2)]!)).toBeLessThan(0.3);
    // No fault energy: the resonance band is no louder than the broadband floor around it.
    for (let a = 0; a < 3; a++) {
      expect(healthy[a]![RESONANCE]!).toBeLessThan(healthy[a]![RESONANCE - 8]! + 0.5);
    }
  });

  it('imbalance raises 1x on the radial axes far more than axial, and leaves 2x alone', () => {
    const r = rise('imbalance@0s:0.5', healthy);
    expect(r[X]![band(1)]!).toBeGreaterThan(TENFOLD);
    expect(r[Y]![band(1)]!).toBeGreaterThan(TENFOLD);
    expect(r[Z]![band(1)]!).toBeLessThan(r[X]![band(1)]! / 2);
    for (const axis of r) expect(Math.abs(axis[band(2)]!)).toBeLessThan(0.3);
  });

  it('misalignment raises 2x more than 1x, and 2x is strongest on the axial axis', () => {
    const r = rise('misalignment@0s:0.5', healthy);
    const faulty = bandPowers('misalignment@0s:0.5');
    for (const axis of [X, Y, Z]) expect(r[axis]![band(2)]!).toBeGreaterThan(1);
    expect(r[Z]![band(2)]!).toBeGreaterThan(r[Z]![band(1)]!);
    expect(faulty[Z]![band(2)]!).toBeGreaterThan(faulty[X]![band(2)]!);
    expect(faulty[Z]![band(2)]!).toBeGreaterThan(faulty[Y]![band(2)]!);
  });

  it('looseness raises a long series of harmonic bands (1x..10x and half-orders)', () => {
    const r = rise('looseness@0s:0.5', healthy);
    const harmonicBands = new Set<number>();
    for (let k = 1; k <= 10; k++) {
      harmonicBands.add(band(k));
      harmonicBands.add(band(k - 0.5));
    }
    // 1x itself may add to or cancel the healthy 1x, depending on phase; the series as a whole rises.
    const raised = [...harmonicBands].filter((b) => r[Y]![b]! > Math.log(2));
    expect(harmonicBands.size).toBeGreaterThanOrEqual(10);
    expect(raised.length).toBeGreaterThanOrEqual(harmonicBands.size - 2);
    for (let b = band(3); b <= band(10); b++) expect(r[Y]![b]!).toBeGreaterThan(Math.log(4));
    // Above 10x nothing changes.
    expect(Math.abs(r[Y]![band(10) + 3]!)).toBeLessThan(0.3);
    // Nothing up in the bearing resonance band.
    expect(Math.abs(r[Y]![RESONANCE]!)).toBeLessThan(0.3);
  });

  it.each(['bearing-outer', 'bearing-inner'])(
    '%s raises the resonance band, not the shaft orders',
    (fault) => {
      const r = rise(`${fault}@0s:0.5`, healthy);
      for (const axis of [X, Y, Z]) expect(r[axis]![RESONANCE]!).toBeGreaterThan(TENFOLD);
      for (const axis of [X, Y]) expect(Math.abs(r[axis]![band(1)]!)).toBeLessThan(0.5);
    },
  );

  it.each([
    ['imbalance', X, 1],
    ['misalignment', Z, 2],
    ['looseness', Y, 5],
    ['bearing-outer', Y, -1],
    ['bearing-inner', Y, -1],
  ] as const)('%s: the signature band grows with severity', (fault, axis, orders) => {
    const b = orders < 0 ? RESONANCE : band(orders);
    const levels = [0.25, 0.5, 0.75, 1].map((s) => bandPowers(`${fault}@0s:${s}`)[axis]![b]!);
    for (let i = 1; i < levels.length; i++) expect(levels[i]!).toBeGreaterThan(levels[i - 1]! + 0.2);
    expect(levels[0]!).toBeGreaterThan(healthy[axis]![b]!);
  });
});
