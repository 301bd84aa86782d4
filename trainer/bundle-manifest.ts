import { type DetectorRule, MANIFEST_SCHEMA_VERSION, type Manifest } from '../shared/bundle/manifest.js';
import type { CalibrationResult } from './calibration/calibrate-variants.js';
import type { ModelKind } from './model/autoencoder.js';
import { INPUT_NAME, OPSET, OUTPUT_NAME } from './onnx/graph.js';
import type { PreparedData } from './prepare-data.js';
import type { TrainingSummary } from './summary.js';

export interface ManifestInputs {
  data: PreparedData;
  kind: ModelKind;
  files: Manifest['files'];
  calibration: CalibrationResult;
  detector: DetectorRule;
  seed: number;
  summary: TrainingSummary;
  createdAt: Date;
}

/** The bundle manifest (validated by shared/bundle/write.ts when written). */
export function buildManifest(m: ManifestInputs): Manifest {
  const { data, summary, calibration, files } = m;
  const variant = (v: 'fp32' | 'int8') => {
    const c = calibration.variants[v].calibration;
    return { ...c, reference: { ...c.reference, count: summary.windows.holdout } };
  };
  return {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    bundleId: `thrum-${m.createdAt.toISOString().replace(/[-:]/g, '').slice(0, 15)}-${files.fp32.sha256.slice(0, 8)}`,
    createdAt: m.createdAt.toISOString(),
    channelNames: data.recordings[0].names,
    sampleRate: data.recordings[0].sampleRate,
    features: data.spec,
    normalization: data.normalization,
    model: {
      kind: m.kind,
      inputName: INPUT_NAME,
      outputName: OUTPUT_NAME,
      inputSize: data.extractor.size,
      layers: summary.model.widths,
      opset: OPSET,
    },
    files,
    score: 'mse',
    variants: { fp32: variant('fp32'), int8: variant('int8') },
    detector: m.detector,
    training: {
      files: summary.data.sources,
      windows: summary.windows.train + summary.windows.val + summary.windows.holdout,
      trainWindows: summary.windows.train,
      holdoutWindows: summary.windows.holdout,
      backend: summary.backend,
      seed: m.seed,
      epochs: summary.model.epochsRun,
      durationMs: summary.durationMs,
      summary,
    },
  };
}
