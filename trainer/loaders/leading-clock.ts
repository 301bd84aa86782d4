/**
 * The serial `csv` wire format may start each line with an integer timestamp in µs (`thrum sim --timestamps`).
 * Without a header, a first column of strictly and regularly increasing integers (3+ rows) is that clock: it is dropped
 * from the channels and gives the sample rate (1e6 / median step).
 */
export function isMicrosecondClock(values: readonly number[]): boolean {
  if (values.length < 3) return false;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isInteger(values[i]) || (i > 0 && values[i] <= values[i - 1])) return false;
  }
  // A sampling clock ticks regularly: most steps within ±50 % of the median (gaps from lost lines allowed).
  const median = medianStep(values);
  const steady = values.slice(1).filter((v, i) => Math.abs(v - values[i] - median) <= median / 2).length;
  return steady >= 0.9 * (values.length - 1);
}

function medianStep(values: readonly number[]): number {
  const steps = values.slice(1).map((v, i) => v - values[i]);
  steps.sort((a, b) => a - b);
  return steps[Math.floor(steps.length / 2)];
}

export function clockRate(values: readonly number[]): number {
  return 1e6 / medianStep(values);
}

/** Removes channel 0 from interleaved samples. */
export function dropFirstChannel(samples: Float32Array, channels: number): Float32Array {
  const rows = samples.length / channels;
  const out = new Float32Array(rows * (channels - 1));
  for (let r = 0; r < rows; r++)
    out.set(samples.subarray(r * channels + 1, (r + 1) * channels), r * (channels - 1));
  return out;
}
