import type { EpochLog } from './model/fit.js';

export interface Progress {
  /** One status line (stage started/finished). */
  line(text: string): void;
  epoch(log: EpochLog): void;
  /** Ends an in-place progress bar. */
  end(): void;
}

function seconds(ms: number): string {
  return ms < 60_000
    ? `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`
    : `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}

/**
 * Epoch progress: an in-place bar on a TTY (epoch, loss, val loss, ETA), else plain lines (about 20 per run,
 * plus every new best). The ETA assumes all epochs run; early stopping usually ends sooner.
 */
export function createProgress(
  write: (text: string) => void,
  tty: boolean,
  now: () => number = Date.now,
): Progress {
  let start = 0;
  let barShown = false;
  let last: EpochLog | undefined;
  let bestEpoch = 0;
  return {
    line(text) {
      if (barShown) write('\n');
      barShown = false;
      write(`${text}\n`);
    },
    epoch(log) {
      if (log.epoch === 1) start = now();
      last = log;
      if (log.best) bestEpoch = log.epoch;
      const elapsed = now() - start;
      const eta = (elapsed / log.epoch) * (log.epochs - log.epoch);
      const stats = `epoch ${String(log.epoch).padStart(String(log.epochs).length)}/${log.epochs} loss ${log.loss.toFixed(5)} val ${log.valLoss.toFixed(5)}${log.best ? ' *' : '  '}`;
      if (tty) {
        const width = 24;
        const filled = Math.round((log.epoch / log.epochs) * width);
        write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${stats} ETA ${seconds(eta)}   `);
        barShown = true;
      } else if (log.epoch === 1 || log.epoch % Math.max(1, Math.ceil(log.epochs / 20)) === 0) {
        write(`${stats} (${seconds(elapsed)})\n`);
      }
    },
    end() {
      // The bar ends full, saying how training ended: an ETA left on screen after early stopping reads as a hang.
      if (last) {
        const early = last.epoch < last.epochs;
        const how = early
          ? `stopped early at epoch ${last.epoch}/${last.epochs} (best ${bestEpoch}, val ${last.valLoss.toFixed(5)})`
          : `done: ${last.epochs} epochs (best ${bestEpoch})`;
        const text = `${how} in ${seconds(now() - start)}`;
        if (tty) write(`\r[${'#'.repeat(24)}] ${text}${' '.repeat(20)}\n`);
        else write(`${text}\n`);
      } else if (barShown) write('\n');
      barShown = false;
      last = undefined;
    },
  };
}

export const silentProgress: Progress = { line() {}, epoch() {}, end() {} };

/** Progress for trainBundle options: silent when quiet, a TTY bar on an interactive stderr, else lines. */
export function progressFor(options: { quiet?: boolean; log?: (line: string) => void }): Progress {
  if (options.quiet) return silentProgress;
  if (options.log) return createProgress(options.log, false);
  return createProgress((text) => process.stderr.write(text), process.stderr.isTTY === true);
}
