import type { DecodeRow } from './decode-bench.js';
import type { FeaturesResult } from './features-bench.js';
import type { InferenceResult } from './inference-bench.js';
import type { LatencyRun } from './latency-bench.js';
import type { MachineDescription } from './machine.js';
import type { MemoryResult } from './memory-bench.js';
import type { PipelineRow } from './pipeline-bench.js';
import type { TargetCheck } from './targets.js';

export const SECTIONS = ['inference', 'features', 'decode', 'pipeline', 'latency', 'memory'] as const;
export type Section = (typeof SECTIONS)[number];

/** A section that did not run, and why (not selected, mosquitto missing, or it failed). */
export interface Skipped {
  skipped: string;
}

export interface BundleDescription {
  description: string;
  channels: number;
  sampleRate: number;
  window: number;
  hop: number;
  features: string[];
  inputs: number;
  layers: number[];
  parameters: number;
  fp32Bytes: number;
  int8Bytes: number;
  /** ORT's graph for the int8 model after optimization (QGemm = fused int8). */
  int8Ops: string[];
  trainSeconds: number;
}

export interface LatencyRunResult extends LatencyRun {
  /** The daemon's default inference.maxDelayMs. */
  isDefault: boolean;
}

/** The JSON `thrum bench` writes (bench/results/bench.json). */
export interface BenchResults {
  schema: 'thrum-bench/1';
  mode: 'full' | 'quick';
  durationSeconds: number;
  machine: MachineDescription;
  /** CPU the compute sections (inference, features, decode, pipeline) were pinned to; null = not pinned. */
  pinnedCpu: number | null;
  method: string[];
  bundle: BundleDescription;
  inference: InferenceResult | Skipped;
  features: FeaturesResult | Skipped;
  decode: { rows: DecodeRow[] } | Skipped;
  pipeline: { rows: PipelineRow[] } | Skipped;
  latency: { runs: LatencyRunResult[]; note: string } | Skipped;
  /** The daemon with its defaults, then with the memory settings proposed in the report. */
  memory: { runs: MemoryResult[] } | Skipped;
  targets: TargetCheck[];
}
