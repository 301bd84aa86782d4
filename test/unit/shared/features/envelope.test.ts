import { describe, expect, it } from 'vitest';
import { BEARING_6205, defectOrders } from '../../../../shared/bearing.js';
import { EnvelopeFeature } from '../../../../shared/features/envelope.js';
import { FeatureExtractor } from '../../../../shared/features/extractor.js';
import type { EnvelopeParams, FeatureSpec } from '../../../../shared/features/spec.js';
import { SeededRandom } from '../../../../trainer/model/seeded-random.js';

// 12.8 kHz, 4096-sample windows (0.32 s): envelope bins 3.125 Hz apart; 50 bands of 10 Hz up to 500 Hz.
const FS = 12800;
const L = 4096;
const F_D = 100; // impact repetition rate (a defect frequency), Hz
const RESONANCE = 3000; // the structural resonance each impact rings, Hz

function specOf(envelope: Partial<EnvelopeParams> = {}): FeatureSpec {
  return {
    kinds: ['envelope'],
    window: L,
    hop: L,
    channels: 1,
    sampleRate: FS,
    envelope: {
      bandLoHz: 2000,
      bandHiHz: 4000,
      bands: 50,
      maxHz: 500,
      minHz: 0,
      scale: 'linear',
      ...envelope,
    },
  };
}

/** Impacts every 1/F_D s, each a decaying 3 kHz ring (τ = 1 ms), amplitude-modulated at 7 Hz, plus noise. */
function impactTrain(seed = 1): Float64Array {
  const rng = new SeededRandom(seed);
  const x = new Float64Array(L);
  const period = FS / F_D;
  for (let i = 0; i < L; i++) {
    const t = (i % period) / FS;
    const am = 1 + 0.5 * Math.sin((2 * Math.PI * 7 * i) / FS);
    x[i] = am * Math.exp(-t / 1e-3) * Math.sin(2 * Math.PI * RESONANCE * t) + 0.05 * rng.normal();
  }
  return x;
}

const sine = (hz: number) =>
  Float64Array.from({ length: L }, (_, i) => Math.sin((2 * Math.PI * hz * i) / FS));

function valuesOf(spec: FeatureSpec, x: Float64Array): number[] {
  const f = new EnvelopeFeature(spec);
  const out = new Float64Array(f.size);
  f.compute(x, out, 0);
  return Array.from(out);
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];

describe('envelope feature', () => {
  it('an impact train ringing a resonance peaks at its repetition rate and harmonics', () => {
    const bands = valuesOf(specOf(), impactTrain());
    const at = (hz: number) => bands[Math.floor(hz / 10)];
    const floor = median(bands);
    // Powers are logs: a line 20x (in power) above the median band is > ln 20 ≈ 3.0 above it.
    expect(at(F_D) - floor).toBeGreaterThan(Math.log(20));
    expect(at(2 * F_D) - floor).toBeGreaterThan(Math.log(20));
    expect(bands.indexOf(Math.max(...bands.slice(1)))).toBe(Math.floor(F_D / 10));
  });

  it('a plain sine inside the band-pass has a flat envelope: no line stands out', () => {
    for (const hz of [3000, 2512.5]) {
      const bands = valuesOf(specOf(), sine(hz));
      expect(bands[Math.floor(F_D / 10)] - median(bands)).toBeLessThan(Math.log(3));
    }
    // ...and a 100 Hz sine is outside the band-pass: the envelope of what is left is ~0 everywhere.
    const low = valuesOf(specOf(), sine(F_D));
    expect(Math.max(...low)).toBeLessThan(Math.max(...valuesOf(specOf(), impactTrain())) - Math.log(1e3));
  });

  it('with a bearing and shaft speed, the BPFO lines carry the energy of an outer-race defect at BPFO', () => {
    const shaftHz = F_D / defectOrders(BEARING_6205).bpfo; // BPFO = 100 Hz
    const spec = specOf({ defects: { shaftHz, bearing: BEARING_6205, harmonics: 2, tolerance: 0.02 } });
    const f = new EnvelopeFeature(spec);
    expect(f.labels.slice(50)).toEqual([
      'bpfo1x',
      'bpfo2x',
      'bpfi1x',
      'bpfi2x',
      'bsf1x',
      'bsf2x',
      'ftf1x',
      'ftf2x',
    ]);
    expect(f.lineHz[0]).toBeCloseTo(100, 9);
    const v = valuesOf(spec, impactTrain());
    const line = (name: string) => v[50 + f.labels.slice(50).indexOf(name)];
    for (const other of ['bpfi1x', 'bsf1x', 'ftf1x'])
      expect(line('bpfo1x') - line(other)).toBeGreaterThan(Math.log(10));
  });

  it('runs through the shared extractor (group x/envelope) and rejects an impossible band-pass', () => {
    const ex = new FeatureExtractor(specOf(), undefined, ['x']);
    expect(ex.groups.map((g) => g.name)).toEqual(['x/envelope']);
    expect(ex.size).toBe(50);
    expect(() => new EnvelopeFeature(specOf({ bandLoHz: 5000, bandHiHz: 7000 }))).toThrow(/Nyquist/);
    expect(() => new EnvelopeFeature(specOf({ maxHz: 7000 }))).toThrow(/envelope.maxHz 7000 is above/);
  });
});
