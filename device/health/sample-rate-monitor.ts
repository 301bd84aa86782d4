/**
 * The sample rate a sensor actually delivers, over a sliding window, against the rate the bundle was trained at
 * (`serial.sampleRate`). A sender configured for another rate, a UART that cannot carry the stream, or a
 * replay that lags all show here long before the scores make sense of it. Pure: the caller passes the times.
 */
export interface SampleRateMonitorOptions {
  expectedHz: number;
  /** Relative difference that raises the mismatch, e.g. 0.05 for 5 %. */
  tolerance: number;
  /** Length of the sliding window, ms. */
  windowMs: number;
}

export interface SensorRate {
  /** Samples per second received over the last window (over the time seen, while the window is not full). */
  measuredHz: number;
  /** A whole window has been seen, so the rate is judged. */
  judged: boolean;
  mismatch: boolean;
}

/** Buckets per window: the window's edge is known to 1 % of its length. */
const BUCKETS = 100;

interface SensorTrack {
  firstAt: number;
  /** Sample counts per bucket, a ring indexed by floor(time / bucketMs) mod BUCKETS. */
  counts: Float64Array;
  /** The bucket number each slot of `counts` holds. */
  slots: Float64Array;
}

export class SampleRateMonitor {
  private readonly sensors = new Map<number, SensorTrack>();
  private readonly bucketMs: number;

  constructor(readonly options: SampleRateMonitorOptions) {
    this.bucketMs = options.windowMs / BUCKETS;
  }

  /** `samples` samples per channel of `sensorId` arrived at `atMs`. */
  add(sensorId: number, samples: number, atMs: number): void {
    let track = this.sensors.get(sensorId);
    if (!track) {
      track = { firstAt: atMs, counts: new Float64Array(BUCKETS), slots: new Float64Array(BUCKETS).fill(-1) };
      this.sensors.set(sensorId, track);
    }
    const bucket = Math.floor(atMs / this.bucketMs);
    const slot = bucket % BUCKETS;
    if (track.slots[slot] !== bucket) {
      track.slots[slot] = bucket;
      track.counts[slot] = 0;
    }
    track.counts[slot] += samples;
  }

  /** Each sensor's rate at `nowMs`. */
  rates(nowMs: number): Map<number, SensorRate> {
    const { windowMs, expectedHz, tolerance } = this.options;
    const out = new Map<number, SensorRate>();
    const newest = Math.floor(nowMs / this.bucketMs);
    for (const [sensorId, track] of this.sensors) {
      let samples = 0;
      for (let i = 0; i < BUCKETS; i++) {
        const age = newest - track.slots[i];
        if (track.slots[i] >= 0 && age >= 0 && age < BUCKETS) samples += track.counts[i];
      }
      // The counted buckets span from the start of the oldest one to now (the newest is partly filled).
      const spanMs = (BUCKETS - 1) * this.bucketMs + (nowMs - newest * this.bucketMs);
      const seenMs = Math.min(spanMs, nowMs - track.firstAt);
      const judged = nowMs - track.firstAt >= windowMs;
      const measuredHz = seenMs > 0 ? (samples * 1000) / seenMs : 0;
      const mismatch = judged && Math.abs(measuredHz - expectedHz) > tolerance * expectedHz;
      out.set(sensorId, { measuredHz, judged, mismatch });
    }
    return out;
  }

  /** The `rate` section of the health report: expected and measured rate per sensor, and whether any is off. */
  section(nowMs: number): {
    expectedHz: number;
    tolerance: number;
    windowMs: number;
    mismatch: boolean;
    sensors: Record<string, { measuredHz: number; judged: boolean }>;
  } {
    const sensors: Record<string, { measuredHz: number; judged: boolean }> = {};
    let mismatch = false;
    for (const [id, r] of this.rates(nowMs)) {
      sensors[String(id)] = { measuredHz: Math.round(r.measuredHz * 10) / 10, judged: r.judged };
      mismatch ||= r.mismatch;
    }
    const { expectedHz, tolerance, windowMs } = this.options;
    return { expectedHz, tolerance, windowMs, mismatch, sensors };
  }
}

/** The window the received rate is measured over. */
export const RATE_WINDOW_MS = 10_000;

/**
 * The monitor for a source that delivers in real time: a serial port, or a file replayed with `realtime: true`.
 * A file replayed as fast as it reads, and stdin (a pipe may be paced or not), have no rate to judge; neither
 * has `sampleRateTolerance: 0`.
 */
export function sampleRateMonitorFor(serial: {
  source: 'serial' | 'file' | 'stdin';
  realtime: boolean;
  sampleRate: number;
  sampleRateTolerance: number;
}): SampleRateMonitor | undefined {
  const realTime = serial.source === 'serial' || (serial.source === 'file' && serial.realtime);
  if (!realTime || serial.sampleRateTolerance === 0) return undefined;
  return new SampleRateMonitor({
    expectedHz: serial.sampleRate,
    tolerance: serial.sampleRateTolerance,
    windowMs: RATE_WINDOW_MS,
  });
}
