import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { ThrumError } from '../../shared/errors.js';
import { parseCsv } from './csv.js';
import { parseF32 } from './f32.js';
import { defaultChannelNames, type InMemoryData, type Recording } from './recording.js';

export type DataFormat = 'csv' | 'f32';

export interface LoadOptions {
  /** Inferred from the extension when absent: `.f32`/`.bin`/`.raw` are f32, everything else csv. */
  format?: DataFormat;
  columns?: string[];
  /** Required for f32. */
  channels?: number;
  /** Required for f32; for csv only when the file carries no rate. */
  sampleRate?: number;
  names?: string[];
  /** csv: the bundle's channels, by name or by position (see CsvOptions). */
  channelNames?: string[];
}

export function formatOf(file: string, format?: DataFormat): DataFormat {
  if (format) return format;
  return ['.f32', '.bin', '.raw'].includes(extname(file).toLowerCase()) ? 'f32' : 'csv';
}

function readBytes(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : String((err as Error).message);
    throw new ThrumError('BAD_DATA', `cannot read data file ${file}: ${why}; check the --data path`, {
      cause: err,
    });
  }
}

export function loadRecording(file: string, options: LoadOptions = {}): Recording {
  const format = formatOf(file, options.format);
  const bytes = readBytes(file);
  if (format === 'f32') {
    if (!options.channels || !options.sampleRate) {
      throw new ThrumError('BAD_USAGE', `${file} is raw float32: pass --channels N and --sample-rate HZ`);
    }
    return parseF32(bytes, file, {
      channels: options.channels,
      sampleRate: options.sampleRate,
      names: options.names,
    });
  }
  return parseCsv(bytes.toString('utf8'), file, options);
}

export function fromMemory(data: InMemoryData, index: number): Recording {
  const source = data.source ?? `memory[${index}]`;
  if (data.samples.length % data.channels !== 0) {
    throw new ThrumError(
      'BAD_DATA',
      `${source}: ${data.samples.length} values is not a multiple of ${data.channels} channels`,
    );
  }
  const bad = data.samples.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new ThrumError('BAD_DATA', `${source}: value ${bad} is ${data.samples[bad]} (NaN/Inf)`);
  const names = data.names ?? defaultChannelNames(data.channels);
  return {
    samples: data.samples,
    channels: data.channels,
    sampleRate: data.sampleRate,
    names,
    source,
    notes: [],
  };
}

/** Loads every input and checks they agree on channels, names and sample rate. */
export function loadRecordings(inputs: (string | InMemoryData)[], options: LoadOptions = {}): Recording[] {
  if (inputs.length === 0) throw new ThrumError('BAD_USAGE', 'no training data: pass --data FILE...');
  const recordings = inputs.map((input, i) =>
    typeof input === 'string' ? loadRecording(input, options) : fromMemory(input, i),
  );
  const first = recordings[0];
  const dup = first.names.find((name, i) => first.names.indexOf(name) !== i);
  if (dup !== undefined)
    throw new ThrumError(
      'BAD_DATA',
      `${first.source}: channel name '${dup}' appears twice; give unique --names`,
    );
  for (const r of recordings.slice(1)) {
    if (r.channels !== first.channels || r.names.join() !== first.names.join()) {
      throw new ThrumError(
        'BAD_DATA',
        `${r.source}: channels ${r.names.join(',')} differ from ${first.source} (${first.names.join(',')}); pick the same --columns`,
      );
    }
    if (r.sampleRate !== first.sampleRate) {
      throw new ThrumError(
        'BAD_DATA',
        `${r.source}: sample rate ${r.sampleRate} Hz differs from ${first.source} (${first.sampleRate} Hz)`,
      );
    }
  }
  return recordings;
}
