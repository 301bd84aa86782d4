import type { FaultSignature, ShaftState } from '../shaft.js';

/** Added amplitude at severity 1, g, per order and axis [x, y, z]. */
const ORDERS: { order: number; gain: [number, number, number] }[] = [
  { order: 1, gain: [0.015, 0.012, 0.05] },
  { order: 2, gain: [0.05, 0.04, 0.12] },
  { order: 3, gain: [0.01, 0.008, 0.03] },
];

/**
 * Shaft misalignment across a coupling: the coupling bends twice per turn, so 2x grows most, and the angular
 * part pushes along the shaft, so the axial axis (z) carries the largest 2x.
 */
export class Misalignment implements FaultSignature {
  constructor(private readonly phases: number[]) {}

  add(s: ShaftState, severity: number, acc: Float64Array): void {
    if (severity === 0) return;
    for (let i = 0; i < ORDERS.length; i++) {
      const { order, gain } = ORDERS[i]!;
      if (order * s.shaftHz > 0.45 * s.sampleRate) continue;
      const v = severity * Math.sin(order * s.phase + this.phases[i]!);
      acc[0] += gain[0] * v;
      acc[1] += gain[1] * v;
      acc[2] += gain[2] * v;
    }
  }
}
