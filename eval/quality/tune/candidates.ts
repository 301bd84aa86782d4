import type { DetectorRule } from '../../../shared/bundle/manifest.js';
import type { SkabTrainKnobs } from '../../skab/config.js';
import type { SkabChannel } from '../../skab/dataset.js';
import type { QuantileRule } from '../../threshold-rule.js';

/** A model candidate: what is trained per file (each needs 34 trainings; thresholds and rules are swept). */
export interface ModelCandidate {
  name: string;
  channels?: SkabChannel[];
  train: SkabTrainKnobs;
}

const NO_TEMPERATURES: SkabChannel[] = [
  'Accelerometer1RMS',
  'Accelerometer2RMS',
  'Current',
  'Pressure',
  'Voltage',
  'Volume Flow RateRMS',
];
const VIBRATION_AND_FLOW: SkabChannel[] = ['Accelerometer1RMS', 'Accelerometer2RMS', 'Volume Flow RateRMS'];

const base: SkabTrainKnobs = { window: 16, hop: 1, features: ['raw'], epochs: 30, patience: 10, seed: 1 };

export const MODEL_CANDIDATES: ModelCandidate[] = [
  { name: 'all8-w16', train: base },
  { name: 'all8-w16-b2', train: { ...base, bottleneck: 2 } },
  { name: 'all8-w16-rawstats', train: { ...base, features: ['raw', 'stats'] } },
  { name: 'all8-w16-stats', train: { ...base, features: ['stats'] } },
  { name: 'notemp-w16-b2', channels: NO_TEMPERATURES, train: { ...base, bottleneck: 2 } },
  { name: 'notemp-w8-b2', channels: NO_TEMPERATURES, train: { ...base, window: 8, bottleneck: 2 } },
  { name: 'vibflow-w16-b2', channels: VIBRATION_AND_FLOW, train: { ...base, bottleneck: 2 } },
  { name: 'vibflow-w8-b2', channels: VIBRATION_AND_FLOW, train: { ...base, window: 8, bottleneck: 2 } },
  { name: 'vibflow-w32-b2', channels: VIBRATION_AND_FLOW, train: { ...base, window: 32, bottleneck: 2 } },
  { name: 'vibflow-w16-b4', channels: VIBRATION_AND_FLOW, train: { ...base, bottleneck: 4 } },
  {
    name: 'vibflow-w16-b2-vae',
    channels: VIBRATION_AND_FLOW,
    train: { ...base, bottleneck: 2, model: 'vae' },
  },
  {
    name: 'vibflow-w16-b2-denoise',
    channels: VIBRATION_AND_FLOW,
    train: { ...base, bottleneck: 2, denoise: 0.2 },
  },
  { name: 'flow-w16-b2', channels: ['Volume Flow RateRMS'], train: { ...base, bottleneck: 2 } },
  // Second round, around the first round's best (short windows, small bottleneck):
  { name: 'notemp-w4-b2', channels: NO_TEMPERATURES, train: { ...base, window: 4, bottleneck: 2 } },
  { name: 'vibflow-w4-b2', channels: VIBRATION_AND_FLOW, train: { ...base, window: 4, bottleneck: 2 } },
  { name: 'vibflow-w6-b2', channels: VIBRATION_AND_FLOW, train: { ...base, window: 6, bottleneck: 2 } },
  { name: 'vibflow-w8-b1', channels: VIBRATION_AND_FLOW, train: { ...base, window: 8, bottleneck: 1 } },
  { name: 'vibflow-w8-b3', channels: VIBRATION_AND_FLOW, train: { ...base, window: 8, bottleneck: 3 } },
  { name: 'notemp-w8-b4', channels: NO_TEMPERATURES, train: { ...base, window: 8, bottleneck: 4 } },
  {
    name: 'notemp-w8-b2-e60',
    channels: NO_TEMPERATURES,
    train: { ...base, window: 8, bottleneck: 2, epochs: 60 },
  },
  {
    name: 'vibflow-w8-b2-e60',
    channels: VIBRATION_AND_FLOW,
    train: { ...base, window: 8, bottleneck: 2, epochs: 60 },
  },
  // Third round: shorter still, and the bottleneck at window 4.
  { name: 'vibflow-w2-b2', channels: VIBRATION_AND_FLOW, train: { ...base, window: 2, bottleneck: 2 } },
  { name: 'vibflow-w3-b2', channels: VIBRATION_AND_FLOW, train: { ...base, window: 3, bottleneck: 2 } },
  { name: 'vibflow-w4-b1', channels: VIBRATION_AND_FLOW, train: { ...base, window: 4, bottleneck: 1 } },
  { name: 'vibflow-w4-b3', channels: VIBRATION_AND_FLOW, train: { ...base, window: 4, bottleneck: 3 } },
  // Fourth round (next session): the linear autoencoder fitted in closed form (`--model pca`), which has no
  // seed, around the AE's best inputs.
  ...(
    [
      ['vibflow', VIBRATION_AND_FLOW, 2, 1],
      ['vibflow', VIBRATION_AND_FLOW, 2, 2],
      ['vibflow', VIBRATION_AND_FLOW, 2, 3],
      ['vibflow', VIBRATION_AND_FLOW, 3, 2],
      ['vibflow', VIBRATION_AND_FLOW, 4, 2],
      ['vibflow', VIBRATION_AND_FLOW, 4, 3],
      ['vibflow', VIBRATION_AND_FLOW, 8, 3],
      ['notemp', NO_TEMPERATURES, 2, 2],
      ['notemp', NO_TEMPERATURES, 4, 3],
    ] as const
  ).map(([set, channels, window, bottleneck]) => ({
    name: `pca-${set}-w${window}-b${bottleneck}`,
    channels: [...channels],
    train: { ...base, window, bottleneck, model: 'pca' as const },
  })),
];

export const THRESHOLD_CANDIDATES: QuantileRule[] = [0.99, 0.999, 1].flatMap((quantile) =>
  [0.9, 1, 1.1, 1.25, 4 / 3, 1.5, 2].map((factor) => ({ quantile, factor })),
);

export const DETECTOR_CANDIDATES: DetectorRule[] = [
  { k: 3, n: 5, clearRatio: 0.8, minClearWindows: 5, cooldownWindows: 10 },
  ...[
    [1, 1],
    [3, 5],
    [5, 10],
    [10, 20],
    [20, 30],
    [30, 40],
  ].flatMap(([k, n]) =>
    [0.5, 0.8, 1].flatMap((clearRatio) =>
      [5, 20, 40, 60].map((minClearWindows) => ({ k, n, clearRatio, minClearWindows, cooldownWindows: 0 })),
    ),
  ),
  // Fourth round: the peak-relative clear (clearPeakRatio) on the rules the first rounds ranked best.
  ...[
    [1, 1],
    [3, 5],
    [5, 10],
    [10, 20],
  ].flatMap(([k, n]) =>
    [0.01, 0.03, 0.1].map((clearPeakRatio) => ({
      k,
      n,
      clearRatio: 0.5,
      minClearWindows: 5,
      cooldownWindows: 0,
      clearPeakRatio,
    })),
  ),
];
