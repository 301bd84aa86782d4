// Runs one latency measurement in a process of its own (fresh heap, nothing else on its event loop): the
// bench starts it with an IPC channel, sends {bundleDir, brokerUrl, options}, gets {result} or {error} back.
import { exitOnInterrupt } from '../scripts/process/cleanup.js';
import { benchLatency, type LatencyOptions, type LatencyRun } from './latency-bench.js';

export type LatencyRequest = { bundleDir: string; brokerUrl: string; options: LatencyOptions };
export type LatencyReply = { result: LatencyRun } | { error: string };

// Ctrl-C reaches this process too: exit through the 'exit' hook, which removes the run's temp dir.
exitOnInterrupt();
process.once('message', async (request: LatencyRequest) => {
  let reply: LatencyReply;
  try {
    reply = { result: await benchLatency(request.bundleDir, request.brokerUrl, request.options) };
  } catch (error) {
    reply = { error: (error as Error).stack ?? String(error) };
  }
  process.send?.(reply, () => process.exit(0));
});
