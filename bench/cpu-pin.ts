import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * Pins every thread of this process (ONNX Runtime's worker included: session.run is asynchronous) to one CPU
 * with `taskset`, so "per core" figures really use one core. Returns the undo, or undefined where taskset
 * is missing or refuses (the figures are then labelled unpinned).
 */
export function pinToOneCpu(): { cpu: number; undo(): void } | undefined {
  const cpus = availableParallelism();
  // The last CPU: the first one usually takes more interrupts.
  const cpu = cpus - 1;
  if (!setAffinity(String(cpu))) return undefined;
  return { cpu, undo: () => void setAffinity(`0-${cpus - 1}`) };
}

function setAffinity(list: string): boolean {
  try {
    return spawnSync('taskset', ['-a', '-cp', list, String(process.pid)], { stdio: 'ignore' }).status === 0;
  } catch {
    return false;
  }
}
