import type { SampleBatch } from './types.js';

/**
 * Collects the samples of one push into as few batches as possible: one, unless lines with and without a
 * timestamp mix, since a batch carries one timestamp (of its first sample). Reuses its buffer across pushes.
 */
export class CsvBatcher {
  private values = new Float32Array(4096);
  private length = 0;
  private channels = 0;
  private timestampUs: number | undefined;
  private done: SampleBatch[] = [];

  constructor(private readonly sensorId: number) {}

  add(values: Float64Array, from: number, channels: number, timestampUs: number | undefined): void {
    if (this.length > 0 && (timestampUs === undefined) !== (this.timestampUs === undefined)) this.close();
    if (this.length === 0) {
      this.timestampUs = timestampUs;
      this.channels = channels;
    }
    if (this.length + channels > this.values.length) {
      const grown = new Float32Array(2 * (this.length + channels));
      grown.set(this.values.subarray(0, this.length));
      this.values = grown;
    }
    for (let c = 0; c < channels; c++) this.values[this.length++] = values[from + c];
  }

  /** The batches collected since the last call. */
  take(): SampleBatch[] {
    this.close();
    const done = this.done;
    this.done = [];
    return done;
  }

  private close(): void {
    if (this.length === 0) return;
    const batch: SampleBatch = {
      sensorId: this.sensorId,
      channels: this.channels,
      samples: this.values.slice(0, this.length),
    };
    if (this.timestampUs !== undefined) batch.timestampUs = this.timestampUs;
    this.done.push(batch);
    this.length = 0;
  }
}
