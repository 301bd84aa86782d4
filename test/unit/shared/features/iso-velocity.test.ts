import { describe, expect, it } from 'vitest';
import { IsoVelocity, isoVelocityRms, STANDARD_GRAVITY } from '../../../../shared/features/iso-velocity.js';
import { ISO_10816_3_BOUNDARIES, isoZone } from '../../../../shared/iso-zones.js';

/**
 * Acceleration (in g) of a velocity sine with RMS vRms mm/s at f Hz: v(t) = √2·V·sin(2πft) gives
 * a(t) = 2πf·√2·V·cos(2πft) (the derivative, closed form), V in m/s, divided by g.
 */
function accelerationOf(components: [hz: number, vRmsMmS: number][], fs: number, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => {
    let a = 0;
    for (const [hz, v] of components) {
      a +=
        (2 * Math.PI * hz * Math.SQRT2 * (v / 1000) * Math.cos((2 * Math.PI * hz * i) / fs + 0.4)) /
        STANDARD_GRAVITY;
    }
    return a;
  });
}

describe('ISO 10816 velocity RMS from acceleration', () => {
  it.each([
    [3200, 4096, 100],
    [3200, 1024, 100], // the device's default window (0.32 s)
    [3200, 3200, 97.3], // not a bin frequency, window not a power of two
    [25600, 32768, 640],
  ])('a %s Hz, %s-sample sine of 3.0 mm/s at %s Hz reads 3.0 ± 2 %', (fs, n, hz) => {
    const v = isoVelocityRms(accelerationOf([[hz, 3.0]], fs, n), 1, fs, { unit: 'g' });
    expect(Math.abs(v[0] / 3.0 - 1)).toBeLessThan(0.02);
  });

  it('leaves out components below 10 Hz and above 1000 Hz', () => {
    const fs = 3200;
    const n = 4096;
    const inside = accelerationOf([[100, 3.0]], fs, n);
    const all = accelerationOf(
      [
        [100, 3.0],
        [4, 3.0],
        [1300, 3.0],
      ],
      fs,
      n,
    );
    const v = isoVelocityRms(all, 1, fs, { unit: 'g' })[0];
    expect(Math.abs(v / 3.0 - 1)).toBeLessThan(0.02);
    // Both together would read √(3² + 3² + 3²) = 5.2 mm/s if the band edges did nothing.
    expect(v).toBeLessThan(isoVelocityRms(inside, 1, fs, { unit: 'g' })[0] * 1.02);
  });

  it('handles m/s², a sensitivity, interleaved channels and a DC offset', () => {
    const fs = 3200;
    const n = 4096;
    const g = accelerationOf([[100, 3.0]], fs, n);
    const counts = g.map((x) => x / 0.0039 + 250); // ADXL345-like: 3.9 mg per count, offset
    const ms2 = g.map((x) => x * STANDARD_GRAVITY * 2); // twice the velocity, in m/s²
    const interleaved = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      interleaved[2 * i] = counts[i];
      interleaved[2 * i + 1] = ms2[i] / 0.0039 / STANDARD_GRAVITY;
    }
    const [a, b] = isoVelocityRms(interleaved, 2, fs, { unit: 'g', sensitivity: 0.0039 });
    expect(Math.abs(a / 3.0 - 1)).toBeLessThan(0.02);
    expect(Math.abs(b / 6.0 - 1)).toBeLessThan(0.02);
    const meter = new IsoVelocity(n, fs, { unit: 'm/s2' });
    expect(Math.abs(meter.rms(ms2) / 6.0 - 1)).toBeLessThan(0.02);
  });

  it('refuses a sample rate that cannot see 1000 Hz and a window that cannot resolve 10 Hz', () => {
    expect(() => new IsoVelocity(4096, 1600, { unit: 'g' })).toThrow(/above Nyquist/);
    expect(() => new IsoVelocity(256, 3200, { unit: 'g' })).toThrow(/coarser than the 10 Hz band edge/);
  });
});

describe('ISO 10816-3 zones (Annex A, Tables A.1 and A.2)', () => {
  it('puts a 3.0 mm/s machine in the zone of its class', () => {
    expect(isoZone(3.0, { group: 1, foundation: 'rigid' })).toBe('B'); // 2.3 ≤ 3.0 < 4.5
    expect(isoZone(3.0, { group: 1, foundation: 'flexible' })).toBe('A'); // < 3.5
    expect(isoZone(3.0, { group: 2, foundation: 'rigid' })).toBe('C'); // 2.8 ≤ 3.0 < 4.5
    expect(isoZone(3.0, { group: 2, foundation: 'flexible' })).toBe('B'); // 2.3 ≤ 3.0 < 4.5
  });

  it('a boundary value belongs to the worse zone, and D starts at C/D', () => {
    const c = { group: 2, foundation: 'rigid' } as const;
    expect(isoZone(1.4, c)).toBe('B');
    expect(isoZone(1.39, c)).toBe('A');
    expect(isoZone(4.5, c)).toBe('D');
    expect(isoZone(11.0, { group: 1, foundation: 'flexible' })).toBe('D');
    expect(() => isoZone(Number.NaN, c)).toThrow(/>= 0/);
  });

  it('holds the table values of the standard', () => {
    expect(ISO_10816_3_BOUNDARIES).toEqual({
      '1-rigid': [2.3, 4.5, 7.1],
      '1-flexible': [3.5, 7.1, 11.0],
      '2-rigid': [1.4, 2.8, 4.5],
      '2-flexible': [2.3, 4.5, 7.1],
    });
  });

  it('end to end: the measured 3.0 mm/s sine lands in the zone for each group', () => {
    const v = isoVelocityRms(accelerationOf([[100, 3.0]], 3200, 4096), 1, 3200, { unit: 'g' })[0];
    expect(isoZone(v, { group: 1, foundation: 'rigid' })).toBe('B');
    expect(isoZone(v, { group: 2, foundation: 'rigid' })).toBe('C');
  });
});
