import { ThrumError } from './errors.js';

export interface WindowSpec {
  channels: number;
  /** Samples per window, per channel. */
  window: number;
  /** Samples between window starts, per channel; may exceed window. */
  hop: number;
}

function checkSpec(spec: WindowSpec): void {
  for (const key of ['channels', 'window', 'hop'] as const) {
    const value = spec[key];
    if (!Number.isInteger(value) || value < 1) {
      throw new ThrumError('BAD_USAGE', `window spec: ${key} must be a positive integer, got ${value}`);
    }
  }
}

function checkWhole(length: number, channels: number, what: string): void {
  if (length % channels !== 0) {
    throw new Error(
      `${what}: ${length} values is not a whole number of samples for ${channels} interleaved channels ` +
        '(pass complete samples only)',
    );
  }
}

/**
 * Cuts a stream of interleaved samples into windows. `view` holds window*channels interleaved samples and is
 * only valid during the callback (it may alias an internal buffer: copy what you keep). `startSample` is the
 * absolute per-channel index of the window's first sample since construction/reset.
 *
 * Windows that lie wholly inside one pushed array are views of that array (no copy). Only a window that
 * straddles push() boundaries is assembled in an internal buffer of two windows, so at most about one
 * window of samples is copied per push. With hop > window the samples between windows are skipped, also
 * when the gap spans several pushes.
 */
export class Windower {
  private readonly buffer: Float32Array;
  /** Absolute per-channel index of buffer[0]. */
  private bufferStart = 0;
  /** Buffered samples per channel; the buffer always ends where the unconsumed input begins. */
  private bufferLength = 0;
  /** Absolute per-channel index where the next window starts. */
  private nextStart = 0;
  private seen = 0;
  private emitted = 0;

  constructor(readonly spec: WindowSpec) {
    checkSpec(spec);
    this.buffer = new Float32Array(2 * spec.window * spec.channels);
  }

  push(samples: Float32Array, onWindow: (view: Float32Array, startSample: number) => void): void {
    const { channels, window, hop } = this.spec;
    checkWhole(samples.length, channels, 'Windower.push');
    const count = samples.length / channels;
    const inputStart = this.seen;
    // Counted first so a throwing callback cannot make the same samples count twice.
    this.seen += count;
    let pos = 0;

    // Windows that start inside the buffer need the head of this input to complete them.
    while (this.bufferLength > 0 && pos < count) {
      const bufferEnd = this.bufferStart + this.bufferLength;
      if (this.nextStart >= bufferEnd) {
        this.bufferLength = 0;
        break;
      }
      const need = this.nextStart + window - bufferEnd;
      const take = Math.min(need, count - pos);
      if (this.bufferLength + take > 2 * window) this.compact();
      this.buffer.set(
        samples.subarray(pos * channels, (pos + take) * channels),
        this.bufferLength * channels,
      );
      this.bufferLength += take;
      pos += take;
      if (take === need) {
        const offset = (this.nextStart - this.bufferStart) * channels;
        const start = this.nextStart;
        this.nextStart += hop;
        this.emitted++;
        onWindow(this.buffer.subarray(offset, offset + window * channels), start);
      }
    }
    if (this.bufferLength > 0) return; // input exhausted while still filling the buffer

    // Windows wholly inside the input: plain views. Samples before nextStart (hop > window) are skipped.
    while (this.nextStart - inputStart + window <= count) {
      const offset = (this.nextStart - inputStart) * channels;
      const start = this.nextStart;
      this.nextStart += hop;
      this.emitted++;
      onWindow(samples.subarray(offset, offset + window * channels), start);
    }
    const tail = this.nextStart - inputStart;
    if (tail < count) {
      this.buffer.set(samples.subarray(tail * channels));
      this.bufferStart = this.nextStart;
      this.bufferLength = count - tail;
    }
  }

  /** Forget buffered samples (e.g. after a sequence gap); absolute sample count keeps running. */
  reset(): void {
    this.bufferLength = 0;
    this.bufferStart = this.seen;
    this.nextStart = this.seen;
  }

  /** Samples per channel pushed since construction (reset() does not rewind it). */
  get samplesSeen(): number {
    return this.seen;
  }

  get windowsEmitted(): number {
    return this.emitted;
  }

  /** Samples per channel held back, waiting for the rest of their window. */
  get samplesBuffered(): number {
    return Math.max(0, this.bufferStart + this.bufferLength - this.nextStart);
  }

  /** Drops buffered samples that precede the next window's start. */
  private compact(): void {
    const { channels } = this.spec;
    const drop = this.nextStart - this.bufferStart;
    this.buffer.copyWithin(0, drop * channels, this.bufferLength * channels);
    this.bufferStart = this.nextStart;
    this.bufferLength -= drop;
  }
}

/** Zero-copy windows over a whole recording (subarray views). */
export function* slidingWindows(
  samples: Float32Array,
  spec: WindowSpec,
): Generator<{ view: Float32Array; startSample: number }> {
  checkSpec(spec);
  const { channels, window, hop } = spec;
  checkWhole(samples.length, channels, 'slidingWindows');
  const count = samples.length / channels;
  for (let start = 0; start + window <= count; start += hop) {
    yield { view: samples.subarray(start * channels, (start + window) * channels), startSample: start };
  }
}

/** Number of windows slidingWindows() yields for `sampleCount` samples per channel. */
export function windowCount(sampleCount: number, spec: WindowSpec): number {
  return sampleCount < spec.window ? 0 : Math.floor((sampleCount - spec.window) / spec.hop) + 1;
}
