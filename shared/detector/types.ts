/** One feature group's share of a window's squared reconstruction error, e.g. `{group: 'x/spectrum', share: 0.62}`. */
export interface Contribution {
  group: string;
  share: number;
}

/** A scored window as the detector sees it; the device pipeline and `thrum eval` both produce these. */
export interface ScoredWindow {
  sensorId: number;
  /** Per-channel sample index of the window's first sample. */
  startSample: number;
  /** Per-channel sample index one past the window's last sample (half-open range). */
  endSample: number;
  /** Clock time (ms) of the window's first sample. */
  startTimeMs: number;
  /** Clock time (ms) at which the window's last sample arrived. */
  endTimeMs: number;
  /** Mean squared reconstruction error over the normalized feature vector. */
  score: number;
  /** Feature groups with the largest share of the squared error, largest first. */
  contributions: readonly Contribution[];
}

/** A point of the sample stream: its per-channel index and clock time. */
export interface WindowBound {
  sample: number;
  timeMs: number;
}

export type DetectorEventKind = 'raised' | 'cleared';

/**
 * `raised`: score, pValue and contributions are those of the highest-scoring window among the over-threshold
 * windows that made up the k-of-n evidence; windowStart is the start of the earliest of them, windowEnd the end
 * of the window that triggered the raise.
 * `cleared`: score, pValue and contributions are those of the episode's peak window (highest score between the
 * raise and the clear); windowStart is the raise's windowStart, windowEnd the end of the window that cleared it.
 */
export interface DetectorEvent {
  kind: DetectorEventKind;
  sensorId: number;
  score: number;
  threshold: number;
  /** Share of normal windows expected to score above `score` (the bundle's fitted tail when it has one; pValueOf). */
  pValue: number;
  windowStart: WindowBound;
  windowEnd: WindowBound;
  contributions: readonly Contribution[];
}
