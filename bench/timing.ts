import { type Measured, measured } from './stats.js';

/** How long each timed run lasts and how many runs give the median. */
export interface Effort {
  runs: number;
  /** Each run repeats the operation until at least this long has passed. */
  minRunMs: number;
  /** Untimed calls of each operation before the first run (JIT, caches, allocation). */
  warmupCalls: number;
}

/** One contender: an operation and how many units (e.g. windows of a batch) one call handles. */
export interface Peer<Op> {
  name: string;
  op: Op;
  per?: number;
}

/**
 * µs per unit of each synchronous peer, as the median of `effort.runs` runs. The peers' runs are interleaved
 * (run 1 of each, then run 2 of each, ...), so a noisy neighbour on a shared machine slows all of them alike
 * and their ratios stay fair. Each run loops over the operation for at least `minRunMs`.
 */
export function timePeersSync(peers: Peer<() => void>[], effort: Effort): Record<string, Measured> {
  for (const p of peers) for (let i = 0; i < effort.warmupCalls; i++) p.op();
  const runs = peers.map(() => [] as number[]);
  for (let r = 0; r < effort.runs; r++) {
    peers.forEach((p, i) => {
      let calls = 0;
      const start = performance.now();
      let elapsed = 0;
      do {
        p.op();
        calls++;
        elapsed = performance.now() - start;
      } while (elapsed < effort.minRunMs);
      runs[i].push((elapsed * 1000) / (calls * (p.per ?? 1)));
    });
  }
  return Object.fromEntries(peers.map((p, i) => [p.name, measured(runs[i])]));
}

/** timePeersSync for asynchronous operations, awaited one call at a time. */
export async function timePeers(
  peers: Peer<() => Promise<unknown>>[],
  effort: Effort,
): Promise<Record<string, Measured>> {
  for (const p of peers) for (let i = 0; i < effort.warmupCalls; i++) await p.op();
  const runs = peers.map(() => [] as number[]);
  for (let r = 0; r < effort.runs; r++) {
    for (const [i, p] of peers.entries()) {
      let calls = 0;
      const start = performance.now();
      let elapsed = 0;
      do {
        await p.op();
        calls++;
        elapsed = performance.now() - start;
      } while (elapsed < effort.minRunMs);
      runs[i].push((elapsed * 1000) / (calls * (p.per ?? 1)));
    }
  }
  return Object.fromEntries(peers.map((p, i) => [p.name, measured(runs[i])]));
}
