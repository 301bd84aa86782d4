import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { inferenceSchema } from '../device/config/schema.js';
import { exitOnInterrupt, onExit } from '../scripts/process/cleanup.js';
import { missingReason } from '../scripts/process/executables.js';
import { type Mosquitto, startMosquitto } from '../scripts/process/mosquitto.js';
import { selectBackend } from '../trainer/model/backend.js';
import { BENCH_SAMPLE_RATE, type BenchBundle, simulatedSamples, trainBenchBundle } from './bench-bundle.js';
import { pinToOneCpu } from './cpu-pin.js';
import { benchDecode } from './decode-bench.js';
import { benchFeatures } from './features-bench.js';
import { benchInference } from './inference-bench.js';
import { type JavaScriptTree, javascriptTree } from './javascript-tree.js';
import { benchLatencyInChild } from './latency-process.js';
import { describeMachine } from './machine.js';
import { renderMarkdown } from './markdown.js';
import { benchMemory, MEMORY_TUNINGS } from './memory-bench.js';
import { benchPipeline } from './pipeline-bench.js';
import { RecordingFactory } from './recording.js';
import type { BenchResults, BundleDescription, Section, Skipped } from './results.js';
import { checkTargets } from './targets.js';
import type { Effort } from './timing.js';

export interface BenchOptions {
  quick: boolean;
  jsonPath: string;
  mdPath: string;
  /** Sections to run (default all); the others are recorded as skipped. */
  only?: Section[];
  /** Progress lines (stderr in the CLI). */
  log: (line: string) => void;
}

interface Plan {
  epochs: number;
  inference: Effort;
  sizes: number[];
  features: Effort;
  blockSeconds: number;
  decodeRuns: number;
  decodeBlocks: number;
  pipelineBlocks: number;
  segments: number;
  latency: { seconds: number; warmupSeconds: number };
  memory: { warmupSeconds: number; dataSeconds: number; speedup: number };
}

/** Full: under 3 minutes on a 2-core box. Quick: the same figures with less repetition, well under a minute. */
const PLANS: Record<'full' | 'quick', Plan> = {
  full: {
    epochs: 20,
    inference: { runs: 5, minRunMs: 150, warmupCalls: 20 },
    sizes: [96, 384, 1536],
    features: { runs: 5, minRunMs: 40, warmupCalls: 30 },
    blockSeconds: 2 ** 20 / BENCH_SAMPLE_RATE,
    decodeRuns: 5,
    decodeBlocks: 1,
    pipelineBlocks: 10,
    segments: 5,
    latency: { seconds: 14, warmupSeconds: 2 },
    memory: { warmupSeconds: 180, dataSeconds: 600, speedup: 60 },
  },
  quick: {
    epochs: 5,
    inference: { runs: 3, minRunMs: 25, warmupCalls: 5 },
    sizes: [384],
    features: { runs: 3, minRunMs: 10, warmupCalls: 10 },
    blockSeconds: 2 ** 18 / BENCH_SAMPLE_RATE,
    decodeRuns: 3,
    decodeBlocks: 1,
    pipelineBlocks: 4,
    segments: 4,
    latency: { seconds: 3.5, warmupSeconds: 1 },
    memory: { warmupSeconds: 60, dataSeconds: 120, speedup: 60 },
  },
};

/** Runs the benchmarks, writes JSON and markdown, returns the results (failed sections say why). */
export async function runBench(o: BenchOptions): Promise<BenchResults> {
  // Ctrl-C or SIGTERM: exit through the 'exit' hook, which stops the broker and the daemons and removes temp dirs.
  exitOnInterrupt();
  const started = performance.now();
  const plan = PLANS[o.quick ? 'quick' : 'full'];
  const wanted = (s: Section) => !o.only || o.only.includes(s);
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const log = (line: string) => o.log(`[${elapsed()}] ${line}`);

  log(`training the bench bundle (${plan.epochs} epochs)`);
  const bundle = await trainBenchBundle(plan.epochs);
  const forgetBundle = onExit(() => rmSync(bundle.dir, { recursive: true, force: true }));
  const machine = describeMachine({
    onnxruntime: ort.env.versions.node ?? 'unknown',
    tfjs: tf.version.tfjs,
    tfjsBackend: await selectBackend(),
  });
  let broker: Mosquitto | undefined;
  let tree: JavaScriptTree | undefined;
  const results: BenchResults = {
    schema: 'thrum-bench/1',
    mode: o.quick ? 'quick' : 'full',
    durationSeconds: 0,
    machine,
    pinnedCpu: null,
    method: methodNotes(plan),
    bundle: describeBundle(bundle),
    inference: notRun(),
    features: notRun(),
    decode: notRun(),
    pipeline: notRun(),
    latency: notRun(),
    memory: notRun(),
    targets: [],
  };
  const section = async <K extends Section>(
    name: K,
    run: () => Promise<BenchResults[K]> | BenchResults[K],
  ) => {
    if (!wanted(name)) return;
    log(`${name}...`);
    try {
      results[name] = await run();
    } catch (error) {
      results[name] = { skipped: `failed: ${(error as Error).message}` } as BenchResults[K];
      log(`${name} failed: ${(error as Error).stack ?? error}`);
    }
  };

  try {
    const pin = pinToOneCpu();
    results.pinnedCpu = pin?.cpu ?? null;
    if (!pin) log('taskset unavailable: compute sections not pinned to one CPU');
    try {
      await section('inference', () => benchInference(bundle, plan.inference, plan.sizes, log));
      await section('features', () => benchFeatures(plan.features, log));
      let factory: RecordingFactory | undefined;
      const recordings = () => {
        factory ??= new RecordingFactory(simulatedSamples(plan.blockSeconds, 1));
        return factory;
      };
      await section('decode', () => ({
        rows: benchDecode(
          (['csv', 'frames'] as const).map((format) => recordings().recording(format, plan.decodeBlocks)),
          plan.decodeRuns,
        ),
      }));
      await section('pipeline', async () => {
        const rows = [];
        for (const format of ['frames', 'csv'] as const) {
          const rec = recordings().recording(format, plan.pipelineBlocks);
          log(
            `pipeline: ${format}, ${rec.samples} samples (${(rec.bytes / 2 ** 20).toFixed(0)} MiB), warm-up first`,
          );
          await benchPipeline(bundle, recordings().recording(format, 1), 1);
          rows.push(await benchPipeline(bundle, rec, plan.segments));
        }
        return { rows };
      });
    } finally {
      pin?.undo();
    }

    if (wanted('latency') || wanted('memory')) {
      const missing = missingReason('mosquitto');
      if (missing) {
        if (wanted('latency')) results.latency = { skipped: missing };
        if (wanted('memory')) results.memory = { skipped: missing };
      } else {
        broker = await startMosquitto();
        const url = broker.url;
        log('latency, memory: preparing the JavaScript the daemon runs');
        tree = await javascriptTree();
        await section('latency', async () => {
          const defaultDelay = inferenceSchema.parse({}).maxDelayMs;
          const delays = [...new Set([defaultDelay, 0])];
          const runs = [];
          for (const maxDelayMs of delays) {
            log(`latency: inference.maxDelayMs ${maxDelayMs}, ${plan.latency.seconds} s at the real rate`);
            const logPath = LOG_DIR ? join(LOG_DIR, `latency-daemon-${maxDelayMs}ms.log`) : undefined;
            const run = await benchLatencyInChild(tree!, bundle.dir, url, {
              maxDelayMs,
              ...plan.latency,
              logPath,
            });
            runs.push({ ...run, isDefault: maxDelayMs === defaultDelay });
          }
          return { runs, note: LATENCY_NOTE };
        });
        await section('memory', async () => {
          const runs = [];
          for (const tuning of MEMORY_TUNINGS) {
            log(`memory: ${tuning.label}, ${plan.memory.dataSeconds} s of data at ${plan.memory.speedup}x`);
            runs.push(await benchMemory(bundle, url, tree!, tuning, plan.memory));
          }
          return { runs };
        });
      }
    }
  } finally {
    await broker?.stop();
    tree?.cleanup();
    forgetBundle();
    rmSync(bundle.dir, { recursive: true, force: true });
  }

  results.targets = checkTargets(results);
  results.durationSeconds = Math.round((performance.now() - started) / 100) / 10;
  for (const path of [o.jsonPath, o.mdPath]) mkdirSync(dirname(path), { recursive: true });
  writeFileSync(o.jsonPath, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(o.mdPath, `${renderMarkdown(results)}\n`);
  log(`wrote ${o.jsonPath} and ${o.mdPath}`);
  return results;
}

/** Debugging aid: a directory for the in-process daemon's JSON log (otherwise it goes to /dev/null). */
const LOG_DIR = process.env.THRUM_BENCH_LOG_DIR;

const LATENCY_NOTE =
  'The real daemon (device/daemon/build.ts from a thrum.yaml, in a node process of its own) reads 32-sample frames from a ' +
  'FIFO (its `file` source) written at the real rate by 4 sensors x 3 axes at 3.2 kHz, staggered by 40 ms so ' +
  'windows never complete together; detector k=1 of n=1 with no cooldown so every other window raises or clears; ' +
  'the alert is committed to the SQLite outbox (WAL, synchronous=FULL) and published QoS 1 to a local mosquitto. ' +
  "Timed from the write of the frame holding the window's last sample to the resolution of the PUBACK; the " +
  'first seconds are warm-up and not counted.';

function notRun(): Skipped {
  return { skipped: 'not selected (--only)' };
}

function methodNotes(plan: Plan): string[] {
  return [
    `Every figure is the median of ${plan.inference.runs} runs (decode: ${plan.decodeRuns} passes; pipeline: ` +
      `${plan.segments} equal segments of one long replay, plus the whole replay); peers are timed in interleaved ` +
      'runs, so a busy neighbour slows them alike and their ratios hold.',
    'Inference, features, decode and pipeline run with every thread of the process pinned to one CPU (taskset), ' +
      'ONNX Runtime with one intra-op thread. Pipeline throughput is also given per CPU-second of the process, ' +
      'which a shared machine disturbs less than wall time.',
  ];
}

function describeBundle(b: BenchBundle): BundleDescription {
  const { manifest } = b;
  const layers = manifest.model.layers;
  const inputs = manifest.model.inputSize;
  const chain = [inputs, ...layers, ...layers.slice(0, -1).reverse(), inputs].join('-');
  return {
    description:
      `a bundle trained by \`trainBundle\` on ${manifest.sampleRate} Hz simulated 3-axis vibration: window ` +
      `${manifest.features.window}, hop ${manifest.features.hop}, ${manifest.features.spectrum?.bands}-band spectrum per ` +
      `axis = ${inputs} inputs, dense autoencoder ${chain} (${b.parameters} parameters; model.onnx ${b.fp32Bytes} B, ` +
      `model.int8.onnx ${b.int8Bytes} B, int8 graph after ORT optimization: ${b.int8Ops.join(', ')})`,
    channels: manifest.features.channels,
    sampleRate: manifest.sampleRate,
    window: manifest.features.window,
    hop: manifest.features.hop,
    features: manifest.features.kinds,
    inputs,
    layers,
    parameters: b.parameters,
    fp32Bytes: b.fp32Bytes,
    int8Bytes: b.int8Bytes,
    int8Ops: b.int8Ops,
    trainSeconds: Math.round(b.trainMs / 100) / 10,
  };
}
