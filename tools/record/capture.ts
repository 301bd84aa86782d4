import type { DecodeEvent } from '../../shared/protocol/index.js';

export interface CaptureOptions {
  /** Expected channels; undefined = take them from the first batch. */
  channels?: number;
  /** Keep only this sensor's frames; undefined = lock onto the first sensor seen. */
  sensorId?: number;
  /** Stop after this many samples per channel (Infinity = no limit). */
  maxSamples: number;
}

/** What to write to the record file, in order. */
export type CaptureItem =
  | { type: 'samples'; samples: Float32Array; channels: number }
  /** A comment for the file, e.g. where frames went missing: the recording is not silently spliced. */
  | { type: 'note'; text: string };

export interface CaptureCounters {
  /** Samples per channel kept. */
  samples: number;
  /** Lines or frames the decoder rejected. */
  bad: number;
  /** Sequence gaps (frames) and restarts. */
  gaps: number;
  missingFrames: number;
  /** Batches of another sensor or with another channel count, left out. */
  ignored: number;
}

/**
 * Decides what of the decoded stream goes into the record file: one sensor, one channel count, up to
 * `maxSamples`; marks gaps with a note. Pure: decoder events in, file items out.
 */
export class Capture {
  readonly counters: CaptureCounters = { samples: 0, bad: 0, gaps: 0, missingFrames: 0, ignored: 0 };
  private channelCount: number | undefined;
  private sensor: number | undefined;
  /** Why batches were ignored, once per reason, for the user. */
  readonly ignoredReasons = new Set<string>();

  constructor(private readonly options: CaptureOptions) {
    this.channelCount = options.channels;
    this.sensor = options.sensorId;
  }

  get channels(): number | undefined {
    return this.channelCount;
  }

  get done(): boolean {
    return this.counters.samples >= this.options.maxSamples;
  }

  accept(events: DecodeEvent[]): CaptureItem[] {
    const items: CaptureItem[] = [];
    for (const event of events) {
      if (this.done) break;
      if (event.type === 'bad') {
        this.counters.bad++;
        continue;
      }
      if (event.type === 'gap') {
        if (this.sensor !== undefined && event.sensorId !== this.sensor) continue;
        this.counters.gaps++;
        this.counters.missingFrames += event.missingFrames;
        items.push({
          type: 'note',
          text: event.timestampsUs
            ? `gap: sensor ${event.sensorId} timestamp went back from ${event.timestampsUs.previous} to ${event.timestampsUs.received} µs after sample ${this.counters.samples}; loss unknown`
            : event.reset
              ? `gap: sensor ${event.sensorId} restarted its sequence (${event.expectedSeq} expected, ${event.receivedSeq} received) after sample ${this.counters.samples}; loss unknown`
              : `gap: sensor ${event.sensorId} lost ${event.missingFrames} frame(s) (seq ${event.expectedSeq}..${event.receivedSeq - 1}) after sample ${this.counters.samples}`,
        });
        continue;
      }
      const batch = event.batch;
      this.sensor ??= batch.sensorId;
      this.channelCount ??= batch.channels;
      if (batch.sensorId !== this.sensor) {
        this.ignore(`sensor ${batch.sensorId} (recording sensor ${this.sensor})`);
        continue;
      }
      if (batch.channels !== this.channelCount) {
        this.ignore(`${batch.channels}-channel data (recording ${this.channelCount} channels)`);
        continue;
      }
      const rows = batch.samples.length / batch.channels;
      const take = Math.min(rows, this.options.maxSamples - this.counters.samples);
      const samples = take === rows ? batch.samples : batch.samples.subarray(0, take * batch.channels);
      this.counters.samples += take;
      items.push({ type: 'samples', samples, channels: batch.channels });
    }
    return items;
  }

  private ignore(reason: string): void {
    this.counters.ignored++;
    this.ignoredReasons.add(reason);
  }
}
