// Everything the plumbing starts (brokers, pty pairs, child processes, temp dirs) is registered here until it
// has been stopped, so none outlives the process that started it: `stopAll()` stops what is left gracefully,
// and a process 'exit' hook SIGKILLs and removes the rest synchronously (a test that timed out, a crash,
// `process.exit` in a script). Interrupts end the process without 'exit' hooks unless `exitOnInterrupt()`
// turned them into an exit; the demo handles Ctrl-C itself, gracefully, so this is opt-in.

/** Something started that knows how to stop (a process, a temp dir). */
export interface Stoppable {
  stop(): Promise<void>;
  /** Last-resort synchronous cleanup for the 'exit' hook: SIGKILL, remove temp files. */
  killSync(): void;
}

const live = new Set<Stoppable>();

export function track(s: Stoppable): void {
  live.add(s);
}

export function untrack(s: Stoppable): void {
  live.delete(s);
}

/** Stops everything still registered, concurrently. */
export async function stopAll(): Promise<void> {
  const all = [...live];
  live.clear();
  await Promise.allSettled(all.map((s) => s.stop()));
}

/** Registers a synchronous cleanup step for the 'exit' hook; returns its removal (once it ran normally). */
export function onExit(step: () => void): () => void {
  const s: Stoppable = { stop: async () => step(), killSync: step };
  track(s);
  return () => untrack(s);
}

process.on('exit', () => {
  for (const s of live) {
    try {
      s.killSync();
    } catch {
      // best effort: the process is exiting
    }
  }
});

let exitsOnInterrupt = false;

/** SIGINT / SIGTERM exit with 130 / 143, so the 'exit' hook cleans up (a signal's default skips it). */
export function exitOnInterrupt(): void {
  if (exitsOnInterrupt) return;
  exitsOnInterrupt = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143));
}
