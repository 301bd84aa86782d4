import type { ModelVariant } from '../../shared/bundle/manifest.js';
import { describeDetectorRule } from '../../shared/detector/describe.js';
import type { BinaryMetrics } from '../metrics.js';
import { describeThresholdRule } from '../threshold-rule.js';
import type { SkabConfig } from './config.js';
import { type LeaderboardRow, SKAB_TARGET, withOurRows } from './leaderboard.js';
import type { SkabProtocolResult } from './protocol.js';

/** One line describing a configuration, for reports and logs. */
export function describeConfig(c: SkabConfig): string {
  const t = c.train;
  const d = c.detector;
  const channels = c.channels ? c.channels.join(', ') : 'all 8 sensor columns';
  const kind = t.model ?? 'ae';
  const model = `${kind}${t.bottleneck ? ` bottleneck ${t.bottleneck}` : ''}${t.denoise ? ` denoise ${t.denoise}` : ''}`;
  const fit = kind === 'pca' ? 'closed form' : `${t.epochs ?? 100} epochs max, seed ${t.seed ?? 1}`;
  return (
    `channels: ${channels}; features ${(t.features ?? ['raw']).join('+')}, window ${t.window ?? 16}, hop ${t.hop ?? 1}; ` +
    `${model}, ${fit}; threshold ${describeThresholdRule(c.threshold, "the training slice's window scores")}; ` +
    `detector: ${describeDetectorRule(d)}`
  );
}

const num = (x: number, digits: number) => String(+x.toFixed(digits));

/** `thrum AE`, `thrum VAE` or `thrum linear AE (pca)`: what the leaderboard row names. */
function ourLabel(c: SkabConfig): string {
  const kind = c.train.model ?? 'ae';
  return `thrum ${kind === 'pca' ? 'linear AE (pca)' : kind.toUpperCase()}`;
}

/** Our pooled rows, one per variant, as leaderboard rows. */
export function ourRows(result: SkabProtocolResult, label = ourLabel(result.config)): LeaderboardRow[] {
  return (Object.keys(result.variants) as ModelVariant[]).map((v) => {
    const p = result.variants[v]?.pooled;
    return { algorithm: `${label}, ${v} (this run)`, f1: p?.f1 ?? 0, far: p?.far ?? 0, mar: p?.mar ?? 100 };
  });
}

/** The published leaderboard with our rows in place (markdown). */
export function leaderboardTable(rows: readonly LeaderboardRow[]): string[] {
  const lines = ['| Algorithm | F1 | FAR, % | MAR, % |', '|---|---|---|---|'];
  for (const r of withOurRows(rows)) {
    // Published rows as printed in the paper's table; ours with one more digit, so 0.849 does not read as 0.85.
    const cells = r.ours
      ? [r.algorithm, r.f1.toFixed(3), r.far.toFixed(2), r.mar.toFixed(2)].map((c) => `**${c}**`)
      : [r.algorithm, num(r.f1, 2), num(r.far, 2), num(r.mar, 2)];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines;
}

/** `F1 .., FAR .. %, MAR .. % (TP .., FP .., TN .., FN ..)`: the pooled figures as reports print them. */
export function pooledFigures(m: BinaryMetrics): string {
  return (
    `F1 ${m.f1.toFixed(4)}, FAR ${m.far.toFixed(2)} %, MAR ${m.mar.toFixed(2)} % ` +
    `(TP ${m.tp}, FP ${m.fp}, TN ${m.tn}, FN ${m.fn})`
  );
}

export function targetVerdict(f1: number, far: number, mar: number): string {
  const t = SKAB_TARGET;
  const ok = f1 >= t.f1 && far <= t.far && mar <= t.mar;
  const misses = [
    f1 < t.f1 ? `F1 ${f1.toFixed(3)} < ${t.f1}` : '',
    far > t.far ? `FAR ${far.toFixed(2)} % > ${t.far} %` : '',
    mar > t.mar ? `MAR ${mar.toFixed(2)} % > ${t.mar} %` : '',
  ].filter(Boolean);
  return ok
    ? `target (F1 >= ${t.f1}, FAR <= ${t.far} %, MAR <= ${t.mar} %) met`
    : `target (F1 >= ${t.f1}, FAR <= ${t.far} %, MAR <= ${t.mar} %) NOT met: ${misses.join(', ')}`;
}

/** The text `thrum eval --protocol skab` prints. */
export function formatSkab(result: SkabProtocolResult): string {
  const lines = [
    `SKAB outlier detection, official protocol: ${result.files.length} files, ${result.testRows} test rows pooled ` +
      `(${(result.durationMs / 1000).toFixed(1)} s)`,
    `configuration: ${describeConfig(result.config)}`,
    `row rule: row i = detector state after the latest window ending at or before row i (no later data)`,
    '',
    ...leaderboardTable(ourRows(result)),
    '',
  ];
  for (const [v, r] of Object.entries(result.variants)) {
    if (!r) continue;
    const p = r.pooled;
    lines.push(
      `${v}: ${pooledFigures(p)}; ROC-AUC of row scores ${p.rocAuc?.toFixed(4) ?? '-'}; ` +
        targetVerdict(p.f1, p.far, p.mar),
    );
  }
  return `${lines.join('\n')}\n`;
}
