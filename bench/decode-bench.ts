import { createDecoder } from '../shared/protocol/index.js';
import { BENCH_CHANNELS } from './bench-bundle.js';
import type { Recording } from './recording.js';
import { type Measured, measured } from './stats.js';

export interface DecodeRow {
  format: string;
  /** Samples (one value per channel) decoded per second. */
  samplesPerSec: Measured;
  bytesPerSample: number;
  /** Input bytes per second, MB (10^6). */
  mbPerSec: number;
}

/** The shared/protocol decoders alone over a recording in 64 KiB chunks; median of `runs` passes. */
export function benchDecode(recordings: Recording[], runs: number): DecodeRow[] {
  return recordings.map((rec) => {
    const rates: number[] = [];
    for (let r = 0; r < runs; r++) {
      const decoder = createDecoder(rec.format, { channels: BENCH_CHANNELS, sensorId: 1 });
      let samples = 0;
      const start = performance.now();
      for (const chunk of rec.chunks) {
        for (const e of decoder.push(chunk)) if (e.type === 'samples') samples += e.batch.samples.length;
      }
      for (const e of decoder.flush()) if (e.type === 'samples') samples += e.batch.samples.length;
      const seconds = (performance.now() - start) / 1000;
      samples /= BENCH_CHANNELS;
      if (samples !== rec.samples || decoder.counters.bad > 0) {
        throw new Error(
          `${rec.format} decode lost data: ${samples} of ${rec.samples} samples, ${decoder.counters.bad} bad`,
        );
      }
      rates.push(samples / seconds);
    }
    const m = measured(rates);
    return {
      format: rec.format,
      samplesPerSec: m,
      bytesPerSample: rec.bytes / rec.samples,
      mbPerSec: (m.median * (rec.bytes / rec.samples)) / 1e6,
    };
  });
}
