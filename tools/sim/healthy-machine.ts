import type { Prng } from './prng.js';
import { Resonator } from './resonator.js';
import type { ShaftState } from './shaft.js';

/** One shaft-order tone per axis: amplitude in g and phase in radians for x, y (radial) and z (axial). */
interface OrderTone {
  order: number;
  amplitude: [number, number, number];
  phase: [number, number, number];
}

// A healthy motor-pump set on an accelerometer on the bearing housing: about 1.5 mm/s RMS at 1x (ISO 10816
// zone A), an elliptical radial orbit (y stiffer than x), little axial motion.
const TONES: OrderTone[] = [
  { order: 1, amplitude: [0.02, 0.016, 0.006], phase: [0, -1.4, 0.5] },
  { order: 2, amplitude: [0.007, 0.006, 0.004], phase: [0.7, 1.9, 3.5] },
  { order: 3, amplitude: [0.002, 0.002, 0.0015], phase: [2.1, 0.3, 1.2] },
];
/** Sensor noise per axis, g RMS; the ADXL345 z axis is noisier than x and y. */
const NOISE = [0.006, 0.006, 0.008];
/** Structural response of the frame to broadband excitation: a mild resonance, g RMS-ish per axis. */
const STRUCTURE_HZ = 640;
const STRUCTURE_GAIN = [0.012, 0.01, 0.006];
/** Twice line frequency: magnetic forces in the motor, grows with load. */
const TWICE_LINE = [0.003, 0.004, 0.002];
/** Electrical pickup at line frequency in the sensor cable. */
const LINE_PICKUP = 0.0015;

const LOAD_MEAN = 0.7;
const LOAD_STD = 0.08;
const LOAD_TAU_S = 30;
/** Induction-motor slip: speed drops about 1 % per unit of load above the mean. */
const SLIP_PER_LOAD = 0.01;
const SPEED_WOBBLE = 0.002;
const SPEED_WOBBLE_PERIOD_S = 97;
const SPEED_JITTER_STD = 0.0005;
const SPEED_JITTER_TAU_S = 2;

export interface HealthyMachineOptions {
  rpm: number;
  sampleRate: number;
  mains: 50 | 60;
  /** Adds 1 g on y: the sensor sits on top of the housing, y vertical, z along the shaft. */
  gravity: boolean;
}

/**
 * The healthy machine: shaft harmonics, broadband and structural noise, mains, and slow bounded drift of load
 * (Ornstein-Uhlenbeck, clipped) and speed (slip + slow wobble + jitter). Advances one sample per `step`.
 */
export class HealthyMachine {
  readonly state: ShaftState;
  private readonly baseHz: number;
  private readonly harmonicLimitHz: number;
  private readonly structure: Resonator;
  private readonly loadDecay: number;
  private readonly loadKick: number;
  private readonly jitterDecay: number;
  private readonly jitterKick: number;
  private jitter = 0;
  private time = 0;
  private linePhase = 0;

  constructor(
    private readonly options: HealthyMachineOptions,
    private readonly noise: Prng,
    private readonly drift: Prng,
  ) {
    const dt = 1 / options.sampleRate;
    this.baseHz = options.rpm / 60;
    this.harmonicLimitHz = 0.45 * options.sampleRate;
    this.state = { phase: 0, shaftHz: this.baseHz, load: LOAD_MEAN, dt, sampleRate: options.sampleRate };
    this.structure = new Resonator(
      Math.min(STRUCTURE_HZ, 0.2 * options.sampleRate),
      0.08,
      options.sampleRate,
    );
    // Exact discretization of an OU process: x' = a x + sqrt(1 - a^2) * std * N(0,1).
    this.loadDecay = Math.exp(-dt / LOAD_TAU_S);
    this.loadKick = LOAD_STD * Math.sqrt(1 - this.loadDecay ** 2);
    this.jitterDecay = Math.exp(-dt / SPEED_JITTER_TAU_S);
    this.jitterKick = SPEED_JITTER_STD * Math.sqrt(1 - this.jitterDecay ** 2);
  }

  /** Advances the shaft by one sample and writes the healthy vibration into acc[0..2]. */
  step(acc: Float64Array): void {
    const s = this.state;
    const load = LOAD_MEAN + (s.load - LOAD_MEAN) * this.loadDecay + this.loadKick * this.drift.normal();
    s.load = Math.min(1, Math.max(0.3, load));
    this.jitter = this.jitter * this.jitterDecay + this.jitterKick * this.drift.normal();
    const wobble = SPEED_WOBBLE * Math.sin((2 * Math.PI * this.time) / SPEED_WOBBLE_PERIOD_S);
    s.shaftHz = this.baseHz * (1 - SLIP_PER_LOAD * (s.load - LOAD_MEAN) + wobble + this.jitter);
    s.phase += 2 * Math.PI * s.shaftHz * s.dt;
    this.time += s.dt;

    const loadGain = 0.8 + 0.3 * s.load;
    acc[0] = 0;
    acc[1] = this.options.gravity ? 1 : 0;
    acc[2] = 0;
    for (const tone of TONES) {
      if (tone.order * s.shaftHz > this.harmonicLimitHz) continue;
      const angle = tone.order * s.phase;
      for (let axis = 0; axis < 3; axis++) {
        acc[axis] += loadGain * tone.amplitude[axis]! * Math.sin(angle + tone.phase[axis]!);
      }
    }

    this.linePhase += 2 * Math.PI * this.options.mains * s.dt;
    const pickup = LINE_PICKUP * Math.sin(this.linePhase);
    const twiceLine = 2 * this.options.mains <= this.harmonicLimitHz ? Math.sin(2 * this.linePhase + 0.4) : 0;
    const structure = this.structure.step(this.noise.normal());
    for (let axis = 0; axis < 3; axis++) {
      acc[axis] +=
        pickup +
        TWICE_LINE[axis]! * s.load * twiceLine +
        STRUCTURE_GAIN[axis]! * structure +
        NOISE[axis]! * this.noise.normal();
    }
  }
}
