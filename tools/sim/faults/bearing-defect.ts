import type { Prng } from '../prng.js';
import { Resonator } from '../resonator.js';
import type { FaultSignature, ShaftState } from '../shaft.js';

/** Peak ringing per impact at severity 1, g. */
const IMPACT_G = 0.6;
/** Ball slip makes impact spacing wander a little (real bearings: 1-2 %). */
const SLIP_JITTER = 0.01;
const IMPACT_SPREAD = 0.1;
const DAMPING = 0.04;
/** The defect is under the load (vertical, y); axial sees little. */
const AXIS = [0.6, 1, 0.3];

export interface BearingDefectOptions {
  /** Impacts per shaft turn: BPFO or BPFI in shaft orders. */
  order: number;
  /** Inner race: the defect turns with the shaft and passes through the load zone once per turn. */
  modulatedByShaft: boolean;
  resonanceHz: number;
  sampleRate: number;
}

/**
 * A spalled race: each rolling element striking the defect rings the housing resonance (a damped sinusoid).
 * Impacts repeat at the defect frequency; for the inner race their strength follows the load zone at 1x, so
 * the envelope spectrum shows BPFI with 1x sidebands.
 */
export class BearingDefect implements FaultSignature {
  private readonly ring: Resonator;
  /** Seconds until the next impact. */
  private untilImpact = 0;

  constructor(
    private readonly options: BearingDefectOptions,
    private readonly random: Prng,
    private readonly loadZoneAngle: number,
  ) {
    this.ring = new Resonator(options.resonanceHz, DAMPING, options.sampleRate);
  }

  add(s: ShaftState, severity: number, acc: Float64Array): void {
    let impulse = 0;
    if (severity > 0) {
      this.untilImpact -= s.dt;
      if (this.untilImpact <= 0) {
        const period = 1 / (this.options.order * s.shaftHz);
        this.untilImpact += period * (1 + SLIP_JITTER * this.random.normal());
        if (this.untilImpact <= 0) this.untilImpact = period;
        const zone = this.options.modulatedByShaft ? 0.5 * (1 + Math.cos(s.phase + this.loadZoneAngle)) : 1;
        impulse = severity * IMPACT_G * zone * (1 + IMPACT_SPREAD * this.random.normal());
      }
    } else {
      this.untilImpact = 0;
    }
    // The ring keeps decaying after the fault clears; it costs nothing once it has died out.
    const v = this.ring.step(impulse);
    acc[0] += AXIS[0]! * v;
    acc[1] += AXIS[1]! * v;
    acc[2] += AXIS[2]! * v;
  }
}
