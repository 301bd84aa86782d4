/** What a vibration component sees of the machine at one sample. */
export interface ShaftState {
  /** Shaft angle in radians, accumulated since the start (continuous through speed changes). */
  phase: number;
  /** Shaft rotation frequency now, Hz (1x). */
  shaftHz: number;
  /** Load fraction, about 0.3..1; drifts slowly. */
  load: number;
  /** Seconds per sample. */
  dt: number;
  sampleRate: number;
}

/** A vibration component added on top of the healthy machine: x, y radial, z axial, in g. */
export interface FaultSignature {
  /** Adds one sample at `severity` (0 = absent, 1 = severe) into acc[0..2]; called every sample. */
  add(state: ShaftState, severity: number, acc: Float64Array): void;
}
