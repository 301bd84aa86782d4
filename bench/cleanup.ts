/**
 * Last-resort cleanup when the bench is interrupted (Ctrl-C, SIGTERM): synchronous undo steps (kill the
 * broker or the daemon it started, remove temp dirs) that normal completion runs through `finally` anyway.
 */
const steps = new Set<() => void>();
let installed = false;

/** Registers a synchronous cleanup step; returns its removal (call it once the step has run normally). */
export function onInterrupt(step: () => void): () => void {
  if (!installed) {
    installed = true;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        for (const s of steps) {
          try {
            s();
          } catch {
            // keep cleaning up
          }
        }
        process.exit(signal === 'SIGINT' ? 130 : 143);
      });
    }
  }
  steps.add(step);
  return () => steps.delete(step);
}
