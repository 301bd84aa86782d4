import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { terminate } from './child-exit.js';
import { type Stoppable, track, untrack } from './cleanup.js';

export interface TrackedSpawnOptions extends SpawnOptions {
  /** How long `stopAll()` waits after SIGTERM before SIGKILL (default 3 s). */
  graceMs?: number;
}

/** `spawn`, with the child registered for cleanup (see cleanup.ts) until it exits. */
export function spawnTracked(
  command: string,
  args: string[],
  options: TrackedSpawnOptions = {},
): ChildProcess {
  const { graceMs, ...spawnOptions } = options;
  const child = spawn(command, args, spawnOptions);
  const handle: Stoppable = {
    stop: () => terminate(child, graceMs),
    killSync: () => void child.kill('SIGKILL'),
  };
  track(handle);
  child.once('exit', () => untrack(handle));
  child.once('error', () => untrack(handle));
  return child;
}
