import { openBundleRuntime } from '../../runtime/open-bundle.js';
import type { ModelVariant } from '../../shared/bundle/manifest.js';
import { trainBundle } from '../../trainer/train.js';
import { applyThresholdRule } from '../apply-threshold-rule.js';
import { type ScoredRecording, scoreRecording } from '../score-recording.js';
import type { SkabConfig } from './config.js';
import {
  loadSkabFile,
  SKAB_CHANNELS,
  SKAB_SAMPLE_RATE,
  SKAB_TRAIN_ROWS,
  type SkabEntry,
  type SkabFile,
  selectChannels,
} from './dataset.js';

export interface SkabFileResult {
  entry: SkabEntry;
  labels: Uint8Array;
  /** Per variant: its threshold (from the rule) and the whole file streamed through the bundle. */
  variants: Partial<Record<ModelVariant, { threshold: number; recording: ScoredRecording }>>;
  trainMs: number;
  scoreMs: number;
  /** The trainer's best validation loss (on the validation part of rows 0-399). */
  valLoss: number;
}

async function scoreWith(bundleDir: string, variant: ModelVariant, samples: Float32Array, source: string) {
  const model = await openBundleRuntime(bundleDir, { variant });
  try {
    return await scoreRecording(model, samples, source);
  } finally {
    await model.close();
  }
}

/**
 * One file of the SKAB protocol:
 * 1. train a bundle on the first 400 rows only (normalization is fitted inside them, by trainBundle);
 * 2. per variant, stream those 400 rows through the bundle and set its threshold by the rule
 *    (factor × quantile of the training slice's window scores); write the thresholds into manifest.json, so the
 *    bundle on disk is exactly what a device would run;
 * 3. per variant, stream the whole file through the bundle as the device would (windows -> shared features ->
 *    ORT -> shared detector), starting at row 0 so the detector is warm when the test rows begin.
 * No test row or label influences steps 1-2.
 */
export async function runSkabFile(
  dir: string,
  entry: SkabEntry,
  config: SkabConfig,
  variants: readonly ModelVariant[],
  bundleDir: string,
  loaded?: SkabFile,
): Promise<SkabFileResult> {
  const file = loaded ?? loadSkabFile(dir, entry);
  const names = SKAB_CHANNELS.filter((c) => !config.channels || config.channels.includes(c));
  const samples = selectChannels(file.samples, names);
  const channels = names.length;
  const trainSamples = samples.subarray(0, SKAB_TRAIN_ROWS * channels);
  const started = performance.now();
  const trained = await trainBundle({
    ...config.train,
    data: [
      {
        samples: trainSamples,
        channels,
        sampleRate: SKAB_SAMPLE_RATE,
        names,
        source: `${entry.file} rows 0-${SKAB_TRAIN_ROWS - 1}`,
      },
    ],
    out: bundleDir,
    detector: config.detector,
    report: false,
    quiet: true,
  });
  const trainMs = performance.now() - started;

  const thresholds = await applyThresholdRule(
    bundleDir,
    variants,
    trainSamples,
    config.threshold,
    `${entry.file} rows 0-${SKAB_TRAIN_ROWS - 1} (the training slice)`,
  );

  const { model } = trained.summary;
  const result: SkabFileResult = {
    entry,
    labels: file.labels,
    variants: {},
    trainMs,
    scoreMs: 0,
    valLoss: model.valLoss[model.bestEpoch - 1],
  };
  const scoring = performance.now();
  for (const variant of variants) {
    result.variants[variant] = {
      threshold: thresholds[variant] as number,
      recording: await scoreWith(bundleDir, variant, samples, entry.file),
    };
  }
  result.scoreMs = performance.now() - scoring;
  return result;
}
