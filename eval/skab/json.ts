import { describeConfig, ourRows } from './format.js';
import { SKAB_LEADERBOARD, SKAB_TARGET } from './leaderboard.js';
import type { SkabProtocolResult } from './protocol.js';

/** The object `thrum eval --protocol skab --json` prints (and bench:quality stores). */
export function skabJson(result: SkabProtocolResult, dir: string) {
  const variants = Object.fromEntries(
    Object.entries(result.variants).map(([v, r]) => {
      if (!r) return [v, r];
      const { summary } = r;
      return [
        v,
        {
          ...r.pooled,
          windows: summary.windows,
          flagged: summary.flagged,
          alerts: summary.alerts,
          raisedWindows: summary.raisedWindows,
          window: summary.window,
          point: summary.point,
          perFile: r.perFile,
        },
      ];
    }),
  );
  return {
    protocol: 'skab',
    dataset: dir,
    files: result.files.length,
    testRows: result.testRows,
    durationMs: Math.round(result.durationMs),
    config: result.config,
    configDescription: describeConfig(result.config),
    rowRule: 'row i = detector state after the latest window ending at or before row i',
    target: SKAB_TARGET,
    variants,
    leaderboard: [...SKAB_LEADERBOARD, ...ourRows(result)],
  };
}
