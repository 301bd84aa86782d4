import type { Command } from 'commander';
import type { DetectorRule } from '../shared/bundle/manifest.js';
import { number } from './option-parsers.js';

/** The detector flags as commander parses them (shared by `thrum train` and `thrum eval`). */
export interface DetectorFlags {
  k?: number;
  n?: number;
  clearRatio?: number;
  clearPeakRatio?: number;
  minClear?: number;
  cooldown?: number;
}

/** Each flag's help parenthesis about its default: train's `default 3`, eval's `default: the bundle's`. */
export type DetectorDefaults = Record<keyof DetectorFlags, string>;

/** Adds --k, --n, --clear-ratio, --clear-peak-ratio, --min-clear and --cooldown to `cmd`. */
export function addDetectorFlags(cmd: Command, defaults: DetectorDefaults): Command {
  return cmd
    .option(
      '--k <n>',
      `detector: raise when k of the last n windows exceed the threshold (${defaults.k})`,
      number,
    )
    .option('--n <n>', `detector: window count for k-of-n (${defaults.n})`, number)
    .option(
      '--clear-ratio <r>',
      `detector: clear below this fraction of the threshold (${defaults.clearRatio})`,
      number,
    )
    .option(
      '--clear-peak-ratio <r>',
      `detector: also clear below this fraction of the episode's peak score, in [0, 1), 0 = off (${defaults.clearPeakRatio})`,
      number,
    )
    .option(
      '--min-clear <n>',
      `detector: windows under the clear level needed to clear (${defaults.minClear})`,
      number,
    )
    .option(
      '--cooldown <n>',
      `detector: windows after a clear without a new raise (${defaults.cooldown})`,
      number,
    );
}

/** The rule fields the flags set; flags not given are left out (not undefined), so they override nothing. */
export function detectorRuleOf(o: DetectorFlags): Partial<DetectorRule> {
  const rule: Partial<DetectorRule> = {
    k: o.k,
    n: o.n,
    clearRatio: o.clearRatio,
    clearPeakRatio: o.clearPeakRatio,
    minClearWindows: o.minClear,
    cooldownWindows: o.cooldown,
  };
  return Object.fromEntries(Object.entries(rule).filter(([, v]) => v !== undefined));
}
