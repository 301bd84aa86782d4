import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBundleRuntime } from '../../runtime/open-bundle.js';
import type { ModelVariant } from '../../shared/bundle/manifest.js';
import { ThrumError } from '../../shared/errors.js';
import type { TrainOptions } from '../../trainer/options.js';
import { trainBundle } from '../../trainer/train.js';
import { applyThresholdRule } from '../apply-threshold-rule.js';
import { scoreRecording } from '../score-recording.js';
import type { ThresholdRule } from '../threshold-rule.js';
import { type CwruRecord, cwruRecords, loadCwru } from './dataset.js';

/** Share of the normal record the model is trained on; the rest measures false alarms. */
export const CWRU_TRAIN_SHARE = 0.6;
export const CWRU_NORMAL_ID = '097_Normal_0hp_48k';

/** Spectrum features of 1024-sample windows (21 ms at 48 kHz), half overlapping: the trainer's waveform default. */
export const CWRU_TRAIN: Partial<TrainOptions> = {
  window: 1024,
  hop: 512,
  features: ['spectrum'],
  bands: 32,
  seed: 1,
};

/**
 * The Conv-AE baseline's control limit (UCL = 0.999 quantile of the training residuals × 4/3), taken as published
 * rather than tuned: the held-out normal part must not choose its own threshold.
 */
export const CWRU_THRESHOLD: ThresholdRule = { quantile: 0.999, factor: 4 / 3 };

export interface CwruRow {
  id: string;
  label: 'normal' | 'fault';
  fault: string;
  diameterIn: number;
  /** `held-out 40 %` for the normal record, `whole record` for faults. */
  part: string;
  windows: number;
  flagged: number;
  flaggedShare: number;
  alerts: number;
  /** Seconds from the start of the scored part to the first raised alert. */
  firstAlertS?: number;
  /** Median window score / threshold. */
  medianRatio: number;
  /** Highest window score / threshold (below 1: no window flagged). */
  maxRatio: number;
}

export interface CwruVariantResult {
  threshold: number;
  rows: CwruRow[];
  /** Every fault record raised an alert and at most 0.5 % of held-out normal windows were flagged. */
  targetMet: boolean;
}

export interface CwruResult {
  dir: string;
  rule: ThresholdRule;
  trainSamples: number;
  trainMs: number;
  variants: Partial<Record<ModelVariant, CwruVariantResult>>;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : 0;
};

/**
 * Trains a bundle on the first 60 % of normal record 097 (spectrum features), then streams the held-out 40 % and
 * every fault record through it as the device would, counting flagged windows and raised alerts per record.
 */
export async function runCwru(
  dir: string,
  variants: readonly ModelVariant[] = ['int8'],
  say: (line: string) => void = () => {},
  rule: ThresholdRule = CWRU_THRESHOLD,
): Promise<CwruResult> {
  const records = cwruRecords(dir);
  const normal = records.find((r) => r.id === CWRU_NORMAL_ID);
  if (!normal) throw new ThrumError('BAD_DATA', `${dir}/manifest.csv has no record ${CWRU_NORMAL_ID}`);
  const normalSamples = loadCwru(dir, normal);
  const cut = Math.floor(normalSamples.length * CWRU_TRAIN_SHARE);
  const bundleDir = mkdtempSync(join(tmpdir(), 'thrum-cwru-'));
  try {
    const started = performance.now();
    await trainBundle({
      ...CWRU_TRAIN,
      data: [
        {
          samples: normalSamples.subarray(0, cut),
          channels: 1,
          sampleRate: normal.sampleRate,
          names: ['DE'],
          source: `${normal.id} samples 0-${cut - 1}`,
        },
      ],
      out: bundleDir,
      report: false,
      quiet: true,
    });
    await applyThresholdRule(
      bundleDir,
      variants,
      normalSamples.subarray(0, cut),
      rule,
      `${normal.id} samples 0-${cut - 1} (the training part)`,
    );
    const trainMs = performance.now() - started;
    say(`CWRU: trained on ${cut} samples of ${normal.id} in ${(trainMs / 1000).toFixed(1)} s`);
    const parts: { record: CwruRecord; samples: Float32Array; part: string }[] = [
      {
        record: normal,
        samples: normalSamples.subarray(cut),
        part: `held-out ${100 - CWRU_TRAIN_SHARE * 100} %`,
      },
      ...records
        .filter((r) => r.label === 'fault')
        .map((r) => ({ record: r, samples: loadCwru(dir, r), part: 'whole record' })),
    ];
    const out: CwruResult['variants'] = {};
    for (const variant of variants) {
      const model = await openBundleRuntime(bundleDir, { variant });
      try {
        const rows: CwruRow[] = [];
        for (const { record, samples, part } of parts) {
          const scored = await scoreRecording(model, samples, record.id);
          const flagged = scored.decisions.flagged.reduce((a, b) => a + b, 0);
          const raised = scored.decisions.events.filter((e) => e.kind === 'raised');
          rows.push({
            id: record.id,
            label: record.label,
            fault: record.fault,
            diameterIn: record.diameterIn,
            part,
            windows: scored.windows.length,
            flagged,
            flaggedShare: scored.windows.length ? flagged / scored.windows.length : 0,
            alerts: raised.length,
            firstAlertS: raised.length ? raised[0].windowEnd.sample / record.sampleRate : undefined,
            medianRatio: median(scored.windows.map((w) => w.score)) / model.detector.threshold,
            maxRatio: Math.max(...scored.windows.map((w) => w.score)) / model.detector.threshold,
          });
        }
        const normalRow = rows[0];
        out[variant] = {
          threshold: model.detector.threshold,
          rows,
          targetMet:
            normalRow.flaggedShare <= 0.005 &&
            rows.filter((r) => r.label === 'fault').every((r) => r.alerts > 0),
        };
        say(`CWRU ${variant}: ${rows.length} records scored`);
      } finally {
        await model.close();
      }
    }
    return { dir, rule, trainSamples: cut, trainMs, variants: out };
  } finally {
    rmSync(bundleDir, { recursive: true, force: true });
  }
}
