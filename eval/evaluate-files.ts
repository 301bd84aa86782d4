import { openBundleRuntime } from '../runtime/open-bundle.js';
import type { DetectorRule, ModelVariant } from '../shared/bundle/manifest.js';
import type { DetectorEvent } from '../shared/detector/types.js';
import { ThrumError } from '../shared/errors.js';
import { type DataFormat, loadRecording } from '../trainer/loaders/load-recordings.js';
import { type LabelSource, loadLabels } from './labels.js';
import { scoreRecording } from './score-recording.js';
import { type EvalSummary, type LabelledRecording, summarize } from './summarize.js';

export interface EvaluateOptions {
  bundle: string;
  data: string[];
  labels?: LabelSource;
  variant?: ModelVariant;
  rule?: Partial<DetectorRule>;
  format?: DataFormat;
  /** CSV columns to read (default: the bundle's channel names). */
  columns?: string[];
  /** Rows before this one (per file) are streamed but not counted (e.g. a training part). */
  fromRow?: number;
}

/** An event with the file it happened in and its rows (the sample indexes of its windows, 0-based). */
export interface FileEvent {
  file: string;
  kind: DetectorEvent['kind'];
  startRow: number;
  endRow: number;
  score: number;
  pValue: number;
  contributions: DetectorEvent['contributions'];
}

export interface EvaluationReport extends EvalSummary {
  bundle: string;
  bundleId: string;
  variant: ModelVariant;
  threshold: number;
  detector: DetectorRule;
  labelled: boolean;
  files: (EvalSummary & { file: string; rows: number })[];
  events: FileEvent[];
}

/**
 * `thrum eval --bundle`: loads each data file with the bundle's channels, streams it through the bundle as
 * the daemon would (each file is its own stream: windows never span two files), and summarizes per file and
 * pooled over all files.
 */
export async function evaluateFiles(o: EvaluateOptions): Promise<EvaluationReport> {
  const model = await openBundleRuntime(o.bundle, { variant: o.variant, detector: o.rule });
  try {
    const { manifest } = model;
    const items: (LabelledRecording & { file: string })[] = [];
    for (const [i, file] of o.data.entries()) {
      const recording = loadRecording(file, {
        format: o.format,
        columns: o.columns,
        channelNames: manifest.channelNames,
        channels: manifest.features.channels,
        sampleRate: manifest.sampleRate,
        names: manifest.channelNames,
      });
      const scored = await scoreRecording(model, recording.samples, file);
      // No window means no score at all: an F1 of 0.000 would read as a result, not as a file too short.
      if (scored.windows.length === 0) {
        throw new ThrumError(
          'BAD_DATA',
          `${file}: no windows to score: the file has ${scored.rows} rows and the bundle's window needs ${manifest.features.window}; give a longer recording`,
        );
      }
      const labels = o.labels ? loadLabels(o.labels, file, i, scored.rows) : undefined;
      items.push({ file, recording: scored, labels, fromRow: o.fromRow });
    }
    const pooled = summarize(items);
    return {
      bundle: model.dir,
      bundleId: manifest.bundleId,
      variant: model.variant,
      threshold: model.detector.threshold,
      detector: model.detector.rule,
      labelled: o.labels !== undefined,
      ...pooled,
      files: items.map((item) => ({ file: item.file, rows: item.recording.rows, ...summarize([item]) })),
      events: items.flatMap(({ file, recording }) =>
        recording.decisions.events.map((e) => ({
          file,
          kind: e.kind,
          startRow: e.windowStart.sample,
          endRow: e.windowEnd.sample - 1,
          score: e.score,
          pValue: e.pValue,
          contributions: e.contributions,
        })),
      ),
    };
  } finally {
    await model.close();
  }
}
