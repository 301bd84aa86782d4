/** What decides how many windows the daemon's micro-batcher hands ONNX Runtime per call. */
export interface Workload {
  /** Samples per second per channel. */
  sampleRate: number;
  /** Samples between window starts. */
  hop: number;
  /** Sensors whose windows share this bundle's engine (1 today: one serial source per daemon). */
  sensors: number;
  /** `inference.maxDelayMs`: how long a window may wait for its batch to fill. */
  maxDelayMs: number;
  /** `inference.maxBatch`. */
  maxBatch: number;
}

/**
 * Expected windows per inference call. A call starts with the window that triggered it and takes whatever
 * arrived while it waited (maxDelayMs) and while the previous call ran (`perCallUs`): 1 + rate x that time,
 * rounded down (a fraction of a window is no window), within [1, maxBatch]. At 3.2 kHz, hop 512, one sensor
 * (6.25 windows/s) and maxDelayMs 0 that is 1 even for a 1 ms call: the daemon scores windows one by one.
 */
export function expectedBatchSize(w: Workload, perCallUs: number): number {
  const windowsPerSec = (w.sensors * w.sampleRate) / w.hop;
  const gatherSec = w.maxDelayMs / 1000 + Math.max(0, perCallUs) / 1e6;
  const expected = Math.floor(1 + windowsPerSec * gatherSec);
  return Math.max(1, Math.min(w.maxBatch, expected));
}
