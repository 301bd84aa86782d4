/** A multichannel recording held in memory: samples interleaved `channels` wide (s0c0, s0c1, ..., s1c0, ...). */
export interface Recording {
  samples: Float32Array;
  channels: number;
  sampleRate: number;
  names: string[];
  /** Where the samples came from (a file path, or a label for in-memory data); named in errors and the report. */
  source: string;
  /** Human-readable notes from the loader (columns used, columns skipped, sample-rate inference). */
  notes: string[];
}

/** In-memory data accepted by `trainBundle` in place of a file (e.g. one SKAB training slice). */
export interface InMemoryData {
  samples: Float32Array;
  channels: number;
  sampleRate: number;
  names?: string[];
  /** Label used in the manifest's training summary; default `memory[i]`. */
  source?: string;
}

export function defaultChannelNames(channels: number): string[] {
  return Array.from({ length: channels }, (_, i) => `ch${i}`);
}
