import { BEARING_6205, type BearingGeometry } from '../../shared/bearing.js';
import { createFault } from './faults/index.js';
import { HealthyMachine } from './healthy-machine.js';
import { Prng } from './prng.js';
import { FAULT_KINDS, type FaultInterval, type FaultKind } from './schedule.js';
import type { FaultSignature } from './shaft.js';

export const SIM_CHANNELS = 3;
export const SIM_CHANNEL_NAMES = ['x', 'y', 'z'] as const;
/** ADXL345 at ±16 g: the sensor saturates beyond this. */
export const FULL_SCALE_G = 16;
const DEFAULT_RESONANCE_HZ = 1200;

export interface SimOptions {
  sampleRate: number;
  rpm: number;
  mains: 50 | 60;
  seed: number;
  faults: FaultInterval[];
  bearing?: BearingGeometry;
  /** Housing resonance rung by bearing impacts; default 1200 Hz, lowered to 0.375 x sample rate if needed. */
  resonanceHz?: number;
  gravity?: boolean;
}

interface ScheduledFault {
  kind: FaultKind;
  signature: FaultSignature;
  /** [startSample, endSample, severity] triples for this kind. */
  spans: { start: number; end: number; severity: number }[];
}

/**
 * A 3-axis (x, y radial; z axial) accelerometer stream of a rotating machine, in g, generated sample by sample.
 * State is a few numbers, so it runs forever in constant memory. Output depends only on the options and the
 * sample index — never on how it is cut into blocks — so one seed gives one stream.
 */
export class VibrationSim {
  readonly channels = SIM_CHANNELS;
  readonly resonanceHz: number;
  private readonly machine: HealthyMachine;
  private readonly faults: ScheduledFault[] = [];
  private readonly acc = new Float64Array(3);
  private index = 0;

  constructor(readonly options: SimOptions) {
    const root = new Prng(options.seed);
    // Each component draws from its own stream, forked in a fixed order: adding a fault leaves the healthy
    // part of the signal untouched, sample for sample.
    const noise = root.fork(1);
    const drift = root.fork(2);
    const faultStreams = FAULT_KINDS.map((_, i) => root.fork(10 + i));
    this.machine = new HealthyMachine(
      {
        rpm: options.rpm,
        sampleRate: options.sampleRate,
        mains: options.mains,
        gravity: options.gravity ?? true,
      },
      noise,
      drift,
    );
    this.resonanceHz = options.resonanceHz ?? Math.min(DEFAULT_RESONANCE_HZ, 0.375 * options.sampleRate);
    FAULT_KINDS.forEach((kind, i) => {
      const spans = options.faults
        .filter((f) => f.kind === kind)
        .map((f) => ({
          start: Math.round(f.start * options.sampleRate),
          end: Number.isFinite(f.end) ? Math.round(f.end * options.sampleRate) : Number.POSITIVE_INFINITY,
          severity: f.severity,
        }));
      if (spans.length === 0) return;
      const signature = createFault(kind, faultStreams[i]!, {
        bearing: options.bearing ?? BEARING_6205,
        resonanceHz: this.resonanceHz,
        sampleRate: options.sampleRate,
      });
      this.faults.push({ kind, signature, spans });
    });
  }

  /** Samples per channel generated so far. */
  get samplesGenerated(): number {
    return this.index;
  }

  /** Fills `out` with interleaved x,y,z samples; its length must be a multiple of 3. */
  fill(out: Float32Array): void {
    const acc = this.acc;
    const state = this.machine.state;
    for (let i = 0; i + 2 < out.length; i += 3) {
      this.machine.step(acc);
      for (const fault of this.faults) {
        fault.signature.add(state, severityAt(fault.spans, this.index), acc);
      }
      out[i] = clip(acc[0]!);
      out[i + 1] = clip(acc[1]!);
      out[i + 2] = clip(acc[2]!);
      this.index++;
    }
  }

  /** Shaft frequency now, Hz (drifts around rpm/60). */
  get shaftHz(): number {
    return this.machine.state.shaftHz;
  }
}

/** Overlapping spans of one kind do not add: the worst one counts. */
function severityAt(spans: ScheduledFault['spans'], n: number): number {
  let severity = 0;
  for (const span of spans) {
    if (n >= span.start && n < span.end && span.severity > severity) severity = span.severity;
  }
  return severity;
}

function clip(v: number): number {
  return Math.min(FULL_SCALE_G, Math.max(-FULL_SCALE_G, v));
}
