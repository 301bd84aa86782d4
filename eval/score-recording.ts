import type { BundleRuntime } from '../runtime/open-bundle.js';
import { streamScores } from '../runtime/stream-scores.js';
import type { ScoredWindow } from '../shared/detector/types.js';
import { ThrumError } from '../shared/errors.js';
import { decideWindows, type WindowDecisions } from './decisions.js';

/** One recording streamed through the device path: its windows, their scores and the detector's decisions. */
export interface ScoredRecording {
  source: string;
  /** Samples per channel (rows). */
  rows: number;
  windows: ScoredWindow[];
  decisions: WindowDecisions;
}

/** Streams `samples` (interleaved, the bundle's channels) through the model, then through the detector. */
export async function scoreRecording(
  model: Pick<BundleRuntime, 'manifest' | 'extractor' | 'scorer' | 'detector'>,
  samples: Float32Array,
  source: string,
): Promise<ScoredRecording> {
  const { features } = model.manifest;
  if (samples.length % features.channels !== 0) {
    throw new ThrumError(
      'BAD_DATA',
      `${source}: ${samples.length} values is not a whole number of ${features.channels}-channel samples`,
    );
  }
  const windows = await streamScores(samples, features, model.extractor, model.scorer);
  return {
    source,
    rows: samples.length / features.channels,
    windows,
    decisions: decideWindows(model.detector, windows),
  };
}
