import type { ModelVariant } from '../shared/bundle/manifest.js';
import type { Int8Agreement } from './calibration/calibrate-variants.js';
import type { FalseAlarmsPerDay } from './calibration/false-alarms.js';
import type { FarInterval } from './calibration/far-interval.js';
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
    targetFar: number;
    /** 1 / holdout windows: the smallest false-alarm rate the holdout alone can resolve (the tail extrapolates). */
    farResolution: number;
    fp32: VariantThreshold;
    int8: VariantThreshold;
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

/** One variant's threshold as the summary and the report state it. */
export interface VariantThreshold {
  threshold: number;
  holdoutFar: number;
  anomalyDetectRate: number;
  /** `gpd-tail`, or `conservative` when the tail fit was not trusted (see `fallback`). */
  method: 'gpd-tail' | 'conservative';
  fallback?: string;
  /** The tail the threshold came from: initial threshold u, excesses over it, GPD scale and shape. */
  tail?: { u: number; excesses: number; sigma: number; xi: number; fit: string };
  /** Expected false-alarm rate per window at the threshold (90 % interval) and per day at the window rate. */
  expectedFar: FarInterval;
  falseAlarmsPerDay: FalseAlarmsPerDay;
  /** Whether the interval's upper end stays within 2x targetFar (false: the holdout is too short to promise it). */
  promisesTarget: boolean;
}
