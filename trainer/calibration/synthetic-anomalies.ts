import type { SeededRandom } from '../model/seeded-random.js';

/** Scales every channel of one interleaved window about its own mean (vibration got `gain` times stronger). */
function amplify(win: Float32Array, channels: number, gain: number): void {
  const length = win.length / channels;
  for (let c = 0; c < channels; c++) {
    let mean = 0;
    for (let i = c; i < win.length; i += channels) mean += win[i] / length;
    for (let i = c; i < win.length; i += channels) win[i] = mean + (win[i] - mean) * gain;
  }
}

const KINDS = ['tone', 'gain', 'impulses', 'offset', 'noise'] as const;

/**
 * Copies of normal windows with large perturbations in the sample domain, so their features come from the
 * same shared extractor: an added tone, a gain change, impulses, a DC offset, broadband noise, cycling
 * through the kinds with amplitudes of 1.5-6 channel stds. Used to check that int8 ranks and flags anomalous
 * windows like fp32 (activation ranges fitted on normal data alone would clip exactly these).
 */
export function perturbWindows(
  windows: Float32Array,
  channels: number,
  window: number,
  channelStd: readonly number[],
  rng: SeededRandom,
): Float32Array {
  const out = windows.slice();
  const size = channels * window;
  const count = windows.length / size;
  for (let w = 0; w < count; w++) {
    const base = w * size;
    const kind = KINDS[w % KINDS.length];
    const c = Math.floor(rng.next() * channels);
    const amp = (1.5 + 4.5 * rng.next()) * channelStd[c];
    const cycles = 0.02 + 0.45 * rng.next();
    const every = Math.max(2, Math.floor(window / (2 + rng.next() * 8)));
    if (kind === 'gain') {
      amplify(out.subarray(base, base + size), channels, 1 + amp / channelStd[c]);
      continue;
    }
    for (let i = 0; i < window; i++) {
      const at = base + i * channels + c;
      if (kind === 'tone') out[at] += amp * Math.sin(2 * Math.PI * cycles * i);
      else if (kind === 'impulses' && i % every === 0) out[at] += 2 * amp * (rng.next() < 0.5 ? -1 : 1);
      else if (kind === 'offset') out[at] += amp;
      else if (kind === 'noise') out[at] += amp * rng.normal();
    }
  }
  return out;
}
