/**
 * The published SKAB outlier-detection leaderboard (GitHub waico/SKAB at commit
 * b2c0d46c2971dcbfe71e26087b6d231998bb91c2, README 'Proposed Leaderboard'; copied in
 * ../shared/datasets/BASELINES.md). F1 is a fraction, FAR and MAR are percentages.
 */
export interface LeaderboardRow {
  algorithm: string;
  f1: number;
  far: number;
  mar: number;
}

export const SKAB_LEADERBOARD: readonly LeaderboardRow[] = [
  { algorithm: 'Perfect detector', f1: 1, far: 0, mar: 0 },
  { algorithm: 'Conv-AE', f1: 0.78, far: 13.55, mar: 28.02 },
  { algorithm: 'MSET', f1: 0.78, far: 39.73, mar: 14.13 },
  { algorithm: 'T-squared+Q (PCA-based)', f1: 0.76, far: 26.62, mar: 24.92 },
  { algorithm: 'LSTM-AE', f1: 0.74, far: 29.96, mar: 25.92 },
  { algorithm: 'T-squared', f1: 0.66, far: 19.21, mar: 42.6 },
  { algorithm: 'LSTM-VAE', f1: 0.56, far: 9.13, mar: 55.03 },
  { algorithm: 'Vanilla LSTM', f1: 0.54, far: 12.54, mar: 59.53 },
  { algorithm: 'MSCRED', f1: 0.36, far: 49.94, mar: 69.88 },
  { algorithm: 'Vanilla AE', f1: 0.39, far: 2.59, mar: 75.15 },
  { algorithm: 'Isolation forest', f1: 0.29, far: 2.56, mar: 82.89 },
  { algorithm: 'Null detector', f1: 0, far: 0, mar: 100 },
];

/** The target for thrum: better than every published row on all three figures at once. */
export const SKAB_TARGET = { f1: 0.85, far: 10, mar: 20 } as const;

export interface RankedRow extends LeaderboardRow {
  ours: boolean;
}

/** The leaderboard with our rows inserted, sorted by F1 (descending) as the published table is. */
export function withOurRows(ours: readonly LeaderboardRow[]): RankedRow[] {
  const rows = [
    ...SKAB_LEADERBOARD.map((r) => ({ ...r, ours: false })),
    ...ours.map((r) => ({ ...r, ours: true })),
  ];
  // Stable sort: published rows keep their order among equal F1 (the table lists Conv-AE before MSET).
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => b.r.f1 - a.r.f1 || a.i - b.i)
    .map(({ r }) => r);
}
