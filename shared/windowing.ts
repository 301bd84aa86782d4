// CONTRACT STUB — implemented by the windowing/features work. Signatures are the contract.
export interface WindowSpec {
  channels: number;
  /** Samples per window, per channel. */
  window: number;
  /** Samples between window starts, per channel; may exceed window. */
  hop: number;
}

/**
 * Cuts a stream of interleaved samples into windows. `view` holds window*channels interleaved samples and is
 * only valid during the callback (it may alias an internal buffer: copy what you keep). `startSample` is the
 * absolute per-channel index of the window's first sample since construction/reset.
 */
export class Windower {
  constructor(readonly spec: WindowSpec) {
    throw new Error('not implemented');
  }
  push(_samples: Float32Array, _onWindow: (view: Float32Array, startSample: number) => void): void {}
  /** Forget buffered samples (e.g. after a sequence gap); absolute sample count keeps running. */
  reset(): void {}
  get samplesSeen(): number {
    return 0;
  }
  get windowsEmitted(): number {
    return 0;
  }
}

/** Zero-copy windows over a whole recording (subarray views). */
export function* slidingWindows(
  _samples: Float32Array,
  _spec: WindowSpec,
): Generator<{ view: Float32Array; startSample: number }> {}
