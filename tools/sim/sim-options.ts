import { BEARING_6205, type BearingGeometry, parseBearing } from '../../shared/bearing.js';
import { ThrumError } from '../../shared/errors.js';
import type { WireFormat } from '../../shared/protocol/index.js';
import { DEFAULT_PTY_PATH } from '../process/virtual-serial-port.js';
import type { SinkTarget } from './byte-sink.js';
import { formatDuration, parseDuration } from './duration.js';
import { eventsFromFlags, type FaultInterval, parseSchedule, resolveSchedule } from './schedule.js';

/** `thrum sim` options as commander hands them over (strings, arrays for repeatable flags). */
export interface RawSimOptions {
  rpm: string;
  sampleRate: string;
  mains: string;
  seed?: string;
  seconds?: string;
  fast?: boolean;
  /** Repeatable flags: undefined when not given. */
  fault?: string[];
  at?: string[];
  severity?: string[];
  duration?: string[];
  schedule?: string;
  format: string;
  out?: string;
  port?: string;
  /** `--pty` alone is true; `--pty PATH` names the daemon's end. */
  pty?: string | boolean;
  baud: string;
  sensorId: string;
  frameSamples: string;
  sampleFormat: string;
  scale?: string;
  timestamps?: boolean;
  bearing: string;
  resonance?: string;
  gravity: boolean;
  quiet?: boolean;
  labels?: string;
}

export interface SimSettings {
  sampleRate: number;
  rpm: number;
  mains: 50 | 60;
  seed: number;
  /** Whether the seed came from --seed (else it was drawn and is printed so the run can be repeated). */
  seedGiven: boolean;
  /** Seconds of signal to produce; Infinity = until stopped. */
  seconds: number;
  fast: boolean;
  faults: FaultInterval[];
  format: WireFormat;
  /** `pty`: a virtual serial cable made at start (`thrum sim --pty`); the daemon opens `path`. */
  target: SinkTarget | { kind: 'pty'; path: string };
  sensorId: number;
  frameSamples: number;
  sampleFormat: 'int16' | 'float32';
  /** int16 frames: g per count; undefined = each frame's peak / 32767. */
  scale?: number;
  timestamps: boolean;
  bearing: BearingGeometry;
  resonanceHz?: number;
  gravity: boolean;
  quiet: boolean;
  /** Where to write one 0/1 label per sample row (the fault schedule's ground truth). */
  labels?: string;
}

/** Validates and converts the raw options; every error names the flag and what it accepts. */
export function parseSimOptions(raw: RawSimOptions, drawSeed: () => number): SimSettings {
  const sampleRate = number(raw.sampleRate, '--sample-rate', { min: 100, max: 100_000 });
  const rpm = number(raw.rpm, '--rpm', { min: 60, max: 100_000 });
  if ((2 * rpm) / 60 > 0.45 * sampleRate) {
    throw usage(
      `--rpm ${rpm} puts 2x at ${((2 * rpm) / 60).toFixed(1)} Hz, too close to Nyquist for --sample-rate ${sampleRate}; ` +
        'raise --sample-rate or lower --rpm',
    );
  }
  if (raw.mains !== '50' && raw.mains !== '60') throw usage(`--mains '${raw.mains}': use 50 or 60 (Hz)`);
  const seedGiven = raw.seed !== undefined;
  const seed = seedGiven
    ? number(raw.seed!, '--seed', { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true })
    : drawSeed();
  const fast = raw.fast === true;
  let seconds = Number.POSITIVE_INFINITY;
  if (raw.seconds !== undefined) {
    seconds = parseDuration(raw.seconds, '--seconds');
    if (!(seconds > 0)) throw usage('--seconds must be more than 0');
  } else if (fast) {
    throw usage(
      '--fast needs --seconds N (without it the stream would be written forever as fast as possible)',
    );
  }
  const events = [
    ...(raw.schedule !== undefined ? parseSchedule(raw.schedule) : []),
    ...eventsFromFlags({
      fault: raw.fault ?? [],
      at: raw.at ?? [],
      severity: raw.severity ?? [],
      duration: raw.duration ?? [],
    }),
  ];
  const faults = resolveSchedule(events);
  if (raw.format !== 'csv' && raw.format !== 'frames')
    throw usage(`--format '${raw.format}': use csv or frames`);
  const outputs = [
    raw.out !== undefined && '--out',
    raw.port !== undefined && '--port',
    raw.pty !== undefined && '--pty',
  ].filter((o): o is string => o !== false);
  if (outputs.length > 1) throw usage(`${outputs.join(' and ')} exclude each other: pick one`);
  if (raw.pty === '') throw usage('--pty: give the path for the daemon end, e.g. --pty /tmp/thrum-sim-pty');
  const baud = number(raw.baud, '--baud', { min: 50, max: 20_000_000, integer: true });
  const target: SimSettings['target'] =
    raw.pty !== undefined
      ? { kind: 'pty', path: raw.pty === true ? DEFAULT_PTY_PATH : String(raw.pty) }
      : raw.port !== undefined
        ? { kind: 'serial', path: raw.port, baud }
        : raw.out !== undefined && raw.out !== '-'
          ? { kind: 'file', path: raw.out }
          : { kind: 'stdout' };
  if (raw.labels !== undefined && (raw.labels === '' || raw.labels === raw.out)) {
    throw usage(`--labels '${raw.labels}': give a file of its own for the labels (one 0/1 per sample row)`);
  }
  if (raw.sampleFormat !== 'int16' && raw.sampleFormat !== 'float32') {
    throw usage(`--sample-format '${raw.sampleFormat}': use int16 or float32`);
  }
  const resonanceHz =
    raw.resonance === undefined
      ? undefined
      : number(raw.resonance, '--resonance', { min: 1, max: 0.45 * sampleRate });
  return {
    sampleRate,
    rpm,
    mains: raw.mains === '60' ? 60 : 50,
    seed,
    seedGiven,
    seconds,
    fast,
    faults,
    format: raw.format,
    target,
    sensorId: number(raw.sensorId, '--sensor-id', { min: 0, max: 255, integer: true }),
    frameSamples: number(raw.frameSamples, '--frame-samples', { min: 1, max: 1024, integer: true }),
    sampleFormat: raw.sampleFormat,
    scale: raw.scale === undefined ? undefined : number(raw.scale, '--scale', { min: 1e-9, max: 1e6 }),
    timestamps: raw.timestamps === true,
    bearing: raw.bearing === '6205' ? BEARING_6205 : parseBearing(raw.bearing),
    resonanceHz,
    gravity: raw.gravity,
    quiet: raw.quiet === true,
    labels: raw.labels,
  };
}

/** Faults that start at or after the end of the run, for a warning. */
export function faultsAfterEnd(settings: SimSettings): string[] {
  return settings.faults
    .filter((f) => f.start >= settings.seconds)
    .map(
      (f) =>
        `${f.kind} at ${formatDuration(f.start)} starts after the run ends (--seconds ${formatDuration(settings.seconds)})`,
    );
}

function number(text: string, flag: string, range: { min: number; max: number; integer?: boolean }): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw usage(`${flag} '${text}' is not a number`);
  if (range.integer && !Number.isInteger(value)) throw usage(`${flag} '${text}' must be a whole number`);
  if (value < range.min || value > range.max) {
    throw usage(`${flag} ${text} is out of range: use ${range.min} to ${range.max}`);
  }
  return value;
}

function usage(message: string): ThrumError {
  return new ThrumError('BAD_USAGE', message);
}
