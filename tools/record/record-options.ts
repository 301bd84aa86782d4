import { existsSync } from 'node:fs';
import { ThrumError } from '../../shared/errors.js';
import type { WireFormat } from '../../shared/protocol/index.js';
import { parseDuration } from '../sim/duration.js';

/** `thrum record` options as commander hands them over. */
export interface RawRecordOptions {
  port?: string;
  format: string;
  seconds?: string;
  out?: string;
  channels?: string;
  sampleRate: string;
  baud: string;
  names?: string;
  sensorId?: string;
  force?: boolean;
  timestamps?: boolean;
}

export interface RecordSettings {
  /** A serial device path, or `-` for stdin. */
  port: string;
  format: WireFormat;
  /** Samples per channel to record; Infinity = until Ctrl-C or end of input. */
  maxSamples: number;
  out: string;
  channels?: number;
  sampleRate: number;
  baud: number;
  names?: string[];
  sensorId?: number;
  force: boolean;
  /** csv: lines start with a µs timestamp (declared, never guessed from the field count). */
  timestamps: boolean;
}

export function parseRecordOptions(raw: RawRecordOptions): RecordSettings {
  if (raw.port === undefined)
    throw usage('--port is required: a serial device such as /dev/ttyUSB0, or - for stdin');
  if (raw.out === undefined) throw usage('--out FILE is required: where to write the recording');
  if (raw.format !== 'csv' && raw.format !== 'frames')
    throw usage(`--format '${raw.format}': use csv or frames`);
  const sampleRate = positive(raw.sampleRate, '--sample-rate');
  let maxSamples = Number.POSITIVE_INFINITY;
  if (raw.seconds !== undefined) {
    const seconds = parseDuration(raw.seconds, '--seconds');
    if (!(seconds > 0)) throw usage('--seconds must be more than 0');
    maxSamples = Math.max(1, Math.round(seconds * sampleRate));
  }
  const channels = raw.channels === undefined ? undefined : integer(raw.channels, '--channels', 1, 255);
  const names = raw.names?.split(',').map((n) => n.trim());
  if (names) {
    if (names.some((n) => n === '' || /[\s=#]/.test(n))) {
      throw usage(
        `--names '${raw.names}': give comma-separated names without spaces, '=' or '#', e.g. x,y,z`,
      );
    }
    if (channels !== undefined && names.length !== channels) {
      throw usage(`--names has ${names.length} names for --channels ${channels}`);
    }
  }
  if (raw.out !== '-' && existsSync(raw.out) && !raw.force) {
    throw usage(`--out ${raw.out} already exists; pass --force to overwrite it`);
  }
  return {
    port: raw.port,
    format: raw.format,
    maxSamples,
    out: raw.out,
    channels: channels ?? names?.length,
    sampleRate,
    baud: integer(raw.baud, '--baud', 50, 20_000_000),
    names,
    sensorId: raw.sensorId === undefined ? undefined : integer(raw.sensorId, '--sensor-id', 0, 255),
    force: raw.force === true,
    timestamps: raw.timestamps === true,
  };
}

function positive(text: string, flag: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v <= 0)
    throw usage(`${flag} '${text}' must be a positive number`);
  return v;
}

function integer(text: string, flag: string, min: number, max: number): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isInteger(v) || v < min || v > max) {
    throw usage(`${flag} '${text}' must be a whole number from ${min} to ${max}`);
  }
  return v;
}

function usage(message: string): ThrumError {
  return new ThrumError('BAD_USAGE', message);
}
