import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Resident set size of a process in MiB: /proc on Linux, `ps` elsewhere; NaN when it is gone. */
export function rssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    if (kib) return Number(kib) / 1024;
  } catch {
    // not Linux, or the process has exited
  }
  const ps = spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' });
  const kib = Number(ps.stdout?.trim());
  return ps.status === 0 && kib > 0 ? kib / 1024 : Number.NaN;
}
