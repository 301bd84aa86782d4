import type { ModelVariant } from '../shared/bundle/manifest.js';
import type { Int8Agreement } from './calibration/calibrate-variants.js';
import type { Range } from './onnx/activation-ranges.js';

/** What one training run did and measured: stored in manifest.training and shown in report.html. */
export interface TrainingSummary {
  backend: string;
  durationMs: number;
  /** Wall time per stage, in ms. */
  stageMs: Record<string, number>;
  data: {
    sources: string[];
    notes: string[];
    channelNames: string[];
    sampleRate: number;
    samplesPerChannel: number;
  };
  windows: { train: number; val: number; holdout: number; anomalous: number };
  model: {
    kind: string;
    widths: number[];
    parameters: number;
    denoise: number;
    epochsRun: number;
    bestEpoch: number;
    stoppedEarly: boolean;
    loss: number[];
    valLoss: number[];
  };
  /** Max |tfjs - ORT fp32| over the holdout reconstructions. */
  exportParityMaxAbs: number;
  files: Record<ModelVariant, { bytes: number }>;
  thresholds: {
    rule: string;
    /** 1 / holdout windows: the smallest false-alarm rate the holdout can resolve. */
    farResolution: number;
    fp32: { threshold: number; holdoutFar: number; anomalyDetectRate: number };
    int8: { threshold: number; holdoutFar: number; anomalyDetectRate: number };
  };
  int8: Int8Agreement & {
    headroom: number;
    activationRanges: Range[];
    /** Op types ORT runs for model.int8.onnx at graphOptimizationLevel 'all' (e.g. QuantizeLinear, QGemm). */
    optimizedOps: string[];
    fp32OptimizedOps: string[];
  };
  warnings: string[];
}
