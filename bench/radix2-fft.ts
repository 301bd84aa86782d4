/**
 * A plain iterative radix-2 complex FFT (bit-reversal permutation, then log2(N) butterfly passes with a
 * precomputed twiddle table): the textbook reference fft.js is compared against. Not used by the product.
 */
export class Radix2Fft {
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly reversed: Uint32Array;

  constructor(readonly size: number) {
    if (size < 2 || (size & (size - 1)) !== 0)
      throw new RangeError(`FFT size must be a power of two >= 2, got ${size}`);
    this.cos = new Float64Array(size / 2);
    this.sin = new Float64Array(size / 2);
    for (let k = 0; k < size / 2; k++) {
      this.cos[k] = Math.cos((-2 * Math.PI * k) / size);
      this.sin[k] = Math.sin((-2 * Math.PI * k) / size);
    }
    const bits = Math.log2(size);
    this.reversed = new Uint32Array(size);
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.reversed[i] = r;
    }
  }

  /** Forward transform of a real signal: `out` gets N interleaved complex values (re, im), like fft.js. */
  realTransform(out: Float64Array, input: Float64Array): void {
    const n = this.size;
    const rev = this.reversed;
    for (let i = 0; i < n; i++) {
      out[2 * rev[i]] = input[i];
      out[2 * rev[i] + 1] = 0;
    }
    const { cos, sin } = this;
    for (let len = 2; len <= n; len <<= 1) {
      const half = len >> 1;
      const step = n / len;
      for (let start = 0; start < n; start += len) {
        for (let k = 0; k < half; k++) {
          const wr = cos[k * step];
          const wi = sin[k * step];
          const a = 2 * (start + k);
          const b = 2 * (start + k + half);
          const br = out[b] * wr - out[b + 1] * wi;
          const bi = out[b] * wi + out[b + 1] * wr;
          out[b] = out[a] - br;
          out[b + 1] = out[a + 1] - bi;
          out[a] += br;
          out[a + 1] += bi;
        }
      }
    }
  }
}
