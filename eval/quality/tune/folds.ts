import type { SkabEntry } from '../../skab/dataset.js';

export type Fold = 'tune' | 'check';

/**
 * Stratified two-fold split across files: within each SKAB group (valve1, valve2, other), in manifest order,
 * files at even positions tune and files at odd positions check. Every fault family lands in both folds, which
 * "tune on valve1, check on the rest" would not give (valve1 holds no imbalance, leak or cavitation run).
 */
export function foldOf(entries: readonly SkabEntry[]): Map<string, Fold> {
  const seen = new Map<string, number>();
  const folds = new Map<string, Fold>();
  for (const e of entries) {
    const position = seen.get(e.group) ?? 0;
    seen.set(e.group, position + 1);
    folds.set(e.file, position % 2 === 0 ? 'tune' : 'check');
  }
  return folds;
}
