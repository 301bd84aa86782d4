import type { FaultSignature, ShaftState } from '../shaft.js';

/** 1x amplitude added at severity 1, g: about 9 mm/s at 1780 rpm, ISO 10816 zone D. */
const GAIN_1X = 0.15;

/**
 * Mass imbalance: a force rotating with the shaft, so 1x grows on both radial axes, 90 degrees apart (a
 * near-circular orbit, a little less on the stiffer vertical axis); axial barely changes.
 */
export class Imbalance implements FaultSignature {
  constructor(private readonly heavySpot: number) {}

  add(s: ShaftState, severity: number, acc: Float64Array): void {
    if (severity === 0) return;
    const a = severity * GAIN_1X;
    const angle = s.phase + this.heavySpot;
    acc[0] += a * Math.cos(angle);
    acc[1] += 0.8 * a * Math.sin(angle);
    acc[2] += 0.05 * a * Math.cos(angle);
  }
}
