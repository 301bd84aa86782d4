// Shared setup of the fault-injection tests: the alternating healthy/faulty feed that makes the detector
// raise and clear again and again, and the detector overrides that keep those cycles short.

import type { LogLine, SampleWriter } from '../e2e/daemon-harness.js';
import { syntheticVibration } from '../fixtures/make-bundle.js';

/** Short cooldown and clear so every faulty stretch of the feed is one raise and one clear. */
export const FAST_DETECTOR = { k: 2, n: 3, minClearWindows: 3, cooldownWindows: 1 };

/** One cycle: 1.2 s of a strong fault, then 1.6 s healthy. Seeds vary so no two windows repeat. */
export function cycle(seed: number): Float32Array[] {
  return [
    syntheticVibration({ seconds: 1.2, seed: 2 * seed, fault: 'gain' }),
    syntheticVibration({ seconds: 1.6, seed: 2 * seed + 1 }),
  ];
}

/**
 * Writes raise/clear cycles with seeds counting up from `seed` until `done()` holds and returns the next seed.
 * Throws once the seed passes `lastSeed`, so a daemon that stopped alerting fails the test instead of hanging.
 */
export async function feedCyclesUntil(
  writer: Pick<SampleWriter, 'write'>,
  seed: number,
  done: () => boolean,
  lastSeed: number,
): Promise<number> {
  const first = seed;
  while (!done()) {
    for (const part of cycle(seed++)) await writer.write(part);
    if (seed > lastSeed) throw new Error(`no alerts after ${seed - first} raise/clear cycles`);
  }
  return seed;
}

/**
 * Writes `first` (if given), then raise/clear cycles with seeds counting up from `seed`, in the background until
 * stop(). `cycles` counts the cycles started so far, so a test can wait for a few more live ones.
 */
export function backgroundFeed(
  writer: Pick<SampleWriter, 'write'>,
  seed: number,
  first?: Float32Array,
): { readonly cycles: number; stop(): Promise<void> } {
  let feeding = true;
  let cycles = 0;
  const done = (async () => {
    if (first) await writer.write(first);
    while (feeding) for (const part of cycle(seed + cycles++)) await writer.write(part);
  })();
  return {
    get cycles() {
      return cycles;
    },
    async stop() {
      feeding = false;
      await done;
    },
  };
}

export const isAlertLog = (l: LogLine) => l.event === 'alert.committed';

/** Seqs the daemon logged as committed (the log line follows the outbox INSERT). */
export const committedSeqs = (lines: LogLine[]) => lines.filter(isAlertLog).map((l) => Number(l.seq));

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Deterministic delays for the crash loop (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
