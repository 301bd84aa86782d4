import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, release, totalmem, type } from 'node:os';

export interface MachineDescription {
  cpu: string;
  /** Logical CPUs the OS reports. */
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  onnxruntime: string;
  tfjs: string;
  tfjsBackend: string;
  /** ISO time the run started. */
  date: string;
  /** `git rev-parse HEAD`, with `-dirty` when the work tree has changes; `unknown` outside a clone. */
  commit: string;
  /** 1-minute load average at the start: a busy shared machine makes every figure slower. */
  loadAverage: number;
}

export function describeMachine(versions: {
  onnxruntime: string;
  tfjs: string;
  tfjsBackend: string;
}): MachineDescription {
  const cpuList = cpus();
  return {
    cpu: cpuList[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${type()} ${release()} ${process.arch}`,
    node: process.version,
    ...versions,
    date: new Date().toISOString(),
    commit: gitCommit(),
    loadAverage: Math.round(loadavg()[0] * 100) / 100,
  };
}

function gitCommit(): string {
  const git = (...args: string[]) => spawnSync('git', args, { encoding: 'utf8', cwd: import.meta.dirname });
  const head = git('rev-parse', 'HEAD');
  if (head.status !== 0) return 'unknown';
  const dirty = git('status', '--porcelain', '--untracked-files=no').stdout.trim() !== '';
  return `${head.stdout.trim()}${dirty ? '-dirty' : ''}`;
}
