import type { ModelVariant } from '../../shared/bundle/manifest.js';
import type { CwruResult } from '../cwru/bench.js';
import type { BinaryMetrics } from '../metrics.js';
import { SKAB_TRAIN_ROWS } from '../skab/dataset.js';
import type { SkabProtocolResult } from '../skab/protocol.js';
import { summarize } from '../summarize.js';
import { describeThresholdRule } from '../threshold-rule.js';
import { foldOf } from './tune/folds.js';

/** SKAB figures of one run: pooled over all 34 files, and over the tuning and check folds of the CV. */
export function skabFolds(
  r: SkabProtocolResult,
  v: ModelVariant,
): Record<'all' | 'tune' | 'check', BinaryMetrics> {
  const folds = foldOf(r.files.map((f) => f.entry));
  const pooled = (keep: (file: string) => boolean) => {
    const recordings = r.files
      .filter((f) => keep(f.entry.file))
      .map((f) => ({
        recording: f.variants[v]!.recording,
        labels: f.labels,
        fromRow: SKAB_TRAIN_ROWS,
      }));
    return summarize(recordings).point!.detector;
  };
  return {
    all: pooled(() => true),
    tune: pooled((file) => folds.get(file) === 'tune'),
    check: pooled((file) => folds.get(file) === 'check'),
  };
}

const m3 = (m: BinaryMetrics) => `${m.f1.toFixed(3)} / ${m.far.toFixed(2)} / ${m.mar.toFixed(2)}`;

/**
 * Markdown: the configured threshold rules (chosen by CV for SKAB, the Conv-AE control limit for CWRU) beside
 * the trainer's tail-fit threshold on the same bundles' models.
 */
export function thresholdComparison(
  skab: { configured: SkabProtocolResult; tail: SkabProtocolResult } | undefined,
  cwru: { configured: CwruResult; tail: CwruResult } | undefined,
): string[] {
  const lines = [
    "## Threshold method: the configured rules vs the trainer's tail fit",
    '',
    'Same models; only the threshold differs. Tail fit = what `thrum train` ships: a GPD tail fitted to the',
    "trainer's holdout (the last 20 % of the training data) at the trainer's default targetFar 0.001",
    '(docs/thresholds.md, bench/results/tail-fit.md).',
    '',
  ];
  if (skab) {
    lines.push(
      '| SKAB (F1 / FAR % / MAR %) | threshold | all 34 files | tuning fold | check fold |',
      '|---|---|---|---|---|',
    );
    for (const v of ['int8', 'fp32'] as const) {
      for (const [name, r] of [
        ['configured', skab.configured],
        ['tail fit', skab.tail],
      ] as const) {
        if (!r.variants[v]) continue;
        const f = skabFolds(r, v);
        lines.push(
          `| ${v}, ${name} | ${describeThresholdRule(r.config.threshold, "the training slice's window scores")} | ${m3(f.all)} | ${m3(f.tune)} | ${m3(f.check)} |`,
        );
      }
    }
    lines.push('');
  }
  if (cwru) {
    lines.push(
      '| CWRU | threshold | held-out normal flagged | fault records alerted | target met |',
      '|---|---|---|---|---|',
    );
    for (const v of ['int8', 'fp32'] as const) {
      for (const [name, r] of [
        ['configured', cwru.configured],
        ['tail fit', cwru.tail],
      ] as const) {
        const x = r.variants[v];
        if (!x) continue;
        const normal = x.rows[0];
        const faults = x.rows.filter((row) => row.label === 'fault');
        lines.push(
          `| ${v}, ${name} | ${x.threshold.toPrecision(4)} (${describeThresholdRule(r.rule, "the training part's window scores")}) | ` +
            `${(100 * normal.flaggedShare).toFixed(2)} % (${normal.flagged}/${normal.windows}) | ` +
            `${faults.filter((row) => row.alerts > 0).length}/${faults.length} | ${x.targetMet ? 'yes' : 'no'} |`,
        );
      }
    }
    lines.push('');
  }
  return lines;
}
