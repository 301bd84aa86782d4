import type { FaultSignature, ShaftState } from '../shaft.js';

const HARMONICS = 10;
/** Amplitude of 1x at severity 1, g; order k has GAIN / k^0.6, half-orders half as much. */
const GAIN = 0.05;
/** Direction: mostly vertical (a loose foot or cap rattles up and down). */
const AXIS = [0.5, 1, 0.3];

/**
 * Mechanical looseness: the part rattles and truncates the response, so a long series of harmonics 1x..10x
 * appears together with half-orders (0.5x, 1.5x, ...) from the sub-harmonic rattle.
 */
export class Looseness implements FaultSignature {
  constructor(private readonly phases: number[]) {}

  add(s: ShaftState, severity: number, acc: Float64Array): void {
    if (severity === 0) return;
    const limit = 0.45 * s.sampleRate;
    let v = 0;
    for (let k = 1; k <= HARMONICS; k++) {
      const gain = GAIN / k ** 0.6;
      if (k * s.shaftHz <= limit) v += gain * Math.sin(k * s.phase + this.phases[2 * k - 2]!);
      const half = k - 0.5;
      if (half * s.shaftHz <= limit) v += 0.5 * gain * Math.sin(half * s.phase + this.phases[2 * k - 1]!);
    }
    v *= severity;
    acc[0] += AXIS[0]! * v;
    acc[1] += AXIS[1]! * v;
    acc[2] += AXIS[2]! * v;
  }
}

export const LOOSENESS_PHASES = 2 * HARMONICS;
