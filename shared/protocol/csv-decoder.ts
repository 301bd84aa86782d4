import { ThrumError } from '../errors.js';
import { zeroCounters } from './counters.js';
import { CsvBatcher } from './csv-batcher.js';
import { parseFields } from './csv-fields.js';
import { DelimitedSplitter } from './delimited-splitter.js';
import { checkOption, MAX_CHANNELS } from './limits.js';
import { TimestampGaps } from './timestamp-gaps.js';
import type { DecodeEvent, WireDecoder } from './types.js';

/** `t_us`: every line starts with the sample's time in µs; `none`: lines hold only the values. */
export type CsvTimestamp = 'none' | 't_us';

export interface CsvDecoderOptions {
  /** Values per sample (timestamp not counted). Default: learnt from the data. */
  channels?: number;
  /**
   * Whether lines start with a timestamp. Declared, never guessed from the field count: on a 1-channel feed a
   * stray second field (`1,2`) would read as timestamp 1 and value 2. Default `none`.
   */
  timestamp?: CsvTimestamp;
  /** Sensor id put on every batch (csv lines carry none). Default 0. */
  sensorId?: number;
  /** Longest line in bytes, newline excluded; longer lines are dropped unbuffered and counted. Default 4096. */
  maxLineBytes?: number;
  /** Non-numeric lines accepted as a header before the first data line. Default 8. */
  maxHeaderLines?: number;
  /**
   * Samples per second per channel. With it, a `t_us` timestamp that jumps by more than 1.5 periods is reported
   * as a `gap` between the lines, so no window spans the lost samples (one that goes back always is).
   */
  sampleRate?: number;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Decodes `v1,...,vC` lines, or `t_us,v1,...,vC` with `timestamp: 't_us'`; each push returns its bad lines, then
 * the batch(es) of its good ones (see CsvBatcher). Without `channels`, the first data line is trusted only once
 * the next one has as many fields: a port opened mid-line yields a partial first line, which must not fix the
 * channel count. A timestamp earlier than the previous line's is a gap (`reset`: the sender restarted or its
 * clock jumped): counted, and no window spans it.
 */
export class CsvDecoder implements WireDecoder {
  readonly counters = zeroCounters();
  private readonly maxHeaderLines: number;
  private readonly maxLineBytes: number;
  private readonly splitter: DelimitedSplitter;
  private channels: number | undefined;
  private fields: Float64Array;
  private headerLines = 0;
  private seenData = false;
  /** First data line of a stream without `channels`, until the next line confirms its field count. */
  private pending: { values: Float64Array; bytes: number } | undefined;
  private newlineBytes = 1;
  private readonly batcher: CsvBatcher;
  private readonly timestampGaps: TimestampGaps;
  /** Fields a line carries besides its values: 1 with timestamps. */
  private readonly lead: 0 | 1;
  private bads: DecodeEvent[] = [];
  /** Batches closed early by a timestamp gap, and the gap after each, in stream order. */
  private ordered: DecodeEvent[] = [];

  constructor(options: CsvDecoderOptions = {}) {
    checkOption('channels', options.channels, 1, MAX_CHANNELS);
    checkOption('sensorId', options.sensorId, 0, Number.MAX_SAFE_INTEGER);
    checkOption('maxLineBytes', options.maxLineBytes, 1, 2 ** 30);
    checkOption('maxHeaderLines', options.maxHeaderLines, 0, Number.MAX_SAFE_INTEGER);
    if (options.timestamp !== undefined && options.timestamp !== 'none' && options.timestamp !== 't_us') {
      throw new ThrumError(
        'BAD_USAGE',
        `decoder option timestamp must be "none" or "t_us", got ${String(options.timestamp)}`,
      );
    }
    this.lead = options.timestamp === 't_us' ? 1 : 0;
    this.channels = options.channels;
    this.batcher = new CsvBatcher(options.sensorId ?? 0);
    this.maxHeaderLines = options.maxHeaderLines ?? 8;
    this.maxLineBytes = options.maxLineBytes ?? 4096;
    this.splitter = new DelimitedSplitter(LF, this.maxLineBytes);
    this.fields = new Float64Array((this.channels ?? MAX_CHANNELS) + 1);
    const { sampleRate } = options;
    if (sampleRate !== undefined && !(sampleRate > 0 && Number.isFinite(sampleRate))) {
      throw new ThrumError(
        'BAD_USAGE',
        `decoder option sampleRate must be a positive number, got ${sampleRate}`,
      );
    }
    this.timestampGaps = new TimestampGaps(sampleRate, options.sensorId ?? 0);
  }

  get bufferedBytes(): number {
    return this.splitter.bufferedBytes;
  }

  push(chunk: Uint8Array): DecodeEvent[] {
    this.counters.bytes += chunk.length;
    this.splitter.push(chunk, this.onLine, this.onOverflow);
    return this.drain();
  }

  flush(): DecodeEvent[] {
    this.newlineBytes = 0;
    this.splitter.flush(this.onLine, this.onOverflow);
    this.newlineBytes = 1;
    if (this.pending) this.trust(this.pending);
    return this.drain();
  }

  private readonly onOverflow = (bytes: number): void => {
    this.bad(`line longer than ${this.maxLineBytes} bytes`, bytes);
  };

  private readonly onLine = (bytes: Uint8Array, start: number, end: number): void => {
    const lineBytes = end - start + this.newlineBytes;
    if (end > start && bytes[end - 1] === CR) end--;
    const problem = this.readLine(bytes, start, end, lineBytes);
    if (problem !== undefined) this.bad(problem, lineBytes);
  };

  /** Takes one line (without its line ending); returns why it is bad, if it is. */
  private readLine(bytes: Uint8Array, start: number, end: number, lineBytes: number): string | undefined {
    const n = parseFields(bytes, start, end, this.fields);
    if (n < 0) {
      if (isBlank(bytes, start, end)) return undefined;
      if (!this.seenData && this.headerLines < this.maxHeaderLines) {
        this.headerLines++;
        return undefined;
      }
      const k = -n - 1;
      if (k === this.fields.length) return `more than ${k} fields`;
      return `field ${k + 1} is not a finite number: "${fieldText(bytes, start, end, k)}"`;
    }
    this.seenData = true;
    const channels = this.channels;
    if (channels === undefined) return this.learnChannels(n, lineBytes);
    if (n !== channels + this.lead) return this.fieldCountProblem(channels, n);
    return this.take(this.fields, channels);
  }

  private fieldCountProblem(channels: number, n: number): string {
    if (this.lead === 1) return `expected ${channels + 1} fields (t_us and ${channels} values), got ${n}`;
    const hint =
      n === channels + 1 ? ' (if lines start with a timestamp, set serial.csvTimestamp: t_us)' : '';
    return `expected ${channels} fields, got ${n}${hint}`;
  }

  /** A data line of the right field count: its timestamp checked, then its values appended. */
  private take(fields: Float64Array, channels: number): string | undefined {
    if (this.lead === 0) return this.append(fields, 0, channels, undefined);
    const timestamp = fields[0];
    if (!Number.isSafeInteger(timestamp) || timestamp < 0)
      return `timestamp ${timestamp} is not a whole number of µs`;
    return this.append(fields, 1, channels, timestamp);
  }

  private learnChannels(n: number, lineBytes: number): string | undefined {
    if (n <= this.lead) return `expected a timestamp and at least one value, got ${n} field`;
    const first = this.pending;
    const line = { values: this.fields.slice(0, n), bytes: lineBytes };
    this.pending = line;
    if (!first) return;
    if (first.values.length !== n) {
      this.bad(
        `first line has ${first.values.length} fields but the next has ${n}: partial line`,
        first.bytes,
      );
      return;
    }
    this.trust(first);
    this.trust(line);
  }

  /** Accepts a held line; its field count (less the timestamp) becomes the channel count. */
  private trust(line: { values: Float64Array; bytes: number }): void {
    this.pending = undefined;
    const channels = line.values.length - this.lead;
    if (this.channels === undefined) {
      this.channels = channels;
      this.fields = new Float64Array(this.channels + 1);
    }
    const problem = this.take(line.values, channels);
    if (problem !== undefined) this.bad(problem, line.bytes);
  }

  /** Adds one sample (`channels` values from `values[from]`) to this push's batch, or says why it can't. */
  private append(
    values: Float64Array,
    from: number,
    channels: number,
    timestampUs: number | undefined,
  ): string | undefined {
    for (let c = 0; c < channels; c++) {
      if (!Number.isFinite(Math.fround(values[from + c])))
        return `field ${from + c + 1} is outside the float32 range`;
    }
    const gap = this.timestampGaps.next(timestampUs);
    if (gap) {
      for (const batch of this.batcher.take()) this.ordered.push({ type: 'samples', batch });
      this.ordered.push(gap);
      this.counters.gaps++;
    }
    this.batcher.add(values, from, channels, timestampUs);
    this.counters.records++;
    this.counters.samples++;
    return undefined;
  }

  private bad(reason: string, bytes: number): void {
    this.counters.bad++;
    this.bads.push({ type: 'bad', reason, bytes });
  }

  /** Bad lines in input order, then the batch(es) of good ones with any timestamp gaps between them. */
  private drain(): DecodeEvent[] {
    const events = this.bads;
    this.bads = [];
    events.push(...this.ordered);
    this.ordered = [];
    for (const batch of this.batcher.take()) events.push({ type: 'samples', batch });
    return events;
  }
}

function isBlank(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] !== 0x20 && bytes[i] !== 0x09) return false;
  return true;
}

/** The k-th comma-separated field as text, shortened, for error messages. */
function fieldText(bytes: Uint8Array, start: number, end: number, k: number): string {
  let from = start;
  for (let i = 0; i < k; i++) from = bytes.indexOf(0x2c, from) + 1;
  let to = bytes.indexOf(0x2c, from);
  if (to < 0 || to > end) to = end;
  const text = String.fromCharCode(...bytes.subarray(from, Math.min(to, from + 24)));
  return to - from > 24 ? `${text}…` : text;
}
