import { Observable, type OperatorFunction } from 'rxjs';
import { createDecoder, type DecoderOptions } from '../../shared/protocol/index.js';
import type { DecodeEvent, DecoderCounters, WireDecoder, WireFormat } from '../../shared/protocol/types.js';

/** What decodeSamples emits: sample batches, and the sequence gaps between them (toWindows resets on a gap). */
export type SampleEvent = Extract<DecodeEvent, { type: 'samples' | 'gap' }>;

export interface DecodeSamplesOptions extends DecoderOptions {
  /**
   * Kept up to date after every chunk with the decoder's totals (bytes, samples, records, bad, gaps,
   * missingFrames), added to what the object held at subscription.
   */
  counters?: DecoderCounters;
  /** Called for each malformed line or frame skipped (already counted): e.g. a rate-limited log. */
  onBad?: (reason: string, bytes: number) => void;
}

/**
 * Bytes -> sample batches and gaps, through a fresh `csv` or `frames` decoder per subscription. Malformed input
 * never errors the stream: it is counted and skipped. At the end of input the decoder is flushed, so a last
 * line without a newline still counts.
 */
export function decodeSamples(
  format: WireFormat,
  options: DecodeSamplesOptions = {},
): OperatorFunction<Uint8Array, SampleEvent> {
  const { counters, onBad, ...decoderOptions } = options;
  return (bytes) =>
    new Observable<SampleEvent>((subscriber) => {
      const decoder = createDecoder(format, decoderOptions);
      const base = counters ? { ...counters } : undefined;
      const forward = (events: DecodeEvent[]) => {
        if (counters && base) publishCounters(counters, base, decoder);
        for (const event of events) {
          if (event.type === 'bad') onBad?.(event.reason, event.bytes);
          else subscriber.next(event);
        }
      };
      return bytes.subscribe({
        next: (chunk) => forward(decoder.push(chunk)),
        error: (error) => subscriber.error(error),
        complete: () => {
          forward(decoder.flush());
          subscriber.complete();
        },
      });
    });
}

function publishCounters(sink: DecoderCounters, base: DecoderCounters, decoder: WireDecoder): void {
  const now = decoder.counters;
  sink.bytes = base.bytes + now.bytes;
  sink.samples = base.samples + now.samples;
  sink.records = base.records + now.records;
  sink.bad = base.bad + now.bad;
  sink.gaps = base.gaps + now.gaps;
  sink.missingFrames = base.missingFrames + now.missingFrames;
}
