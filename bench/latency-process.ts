import { spawnTracked } from '../scripts/process/spawn-tracked.js';
import type { JavaScriptTree } from './javascript-tree.js';
import type { LatencyOptions, LatencyRun } from './latency-bench.js';
import type { LatencyReply, LatencyRequest } from './latency-child.js';

/** benchLatency in a separate node process started from `tree` (see latency-child.ts). */
export function benchLatencyInChild(
  tree: JavaScriptTree,
  bundleDir: string,
  brokerUrl: string,
  options: LatencyOptions,
): Promise<LatencyRun> {
  const child = spawnTracked(process.execPath, tree.entry('bench/latency-child'), {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  const request: LatencyRequest = { bundleDir, brokerUrl, options };
  child.send(request);
  const timeoutMs = (options.seconds + 60) * 1000;
  return new Promise<LatencyRun>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`latency run did not finish within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.once('message', (reply: LatencyReply) => {
      if ('result' in reply) resolve(reply.result);
      else reject(new Error(reply.error));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`latency process exited (${code}) without a result: ${stderr.trim()}`));
    });
  });
}
