import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openOrtEngine } from '../runtime/engines/ort-engine.js';
import type { InferenceEngine } from '../runtime/scoring/inference-engine.js';
import { layerWidths } from '../trainer/model/architecture.js';
import type { DenseWeights } from '../trainer/model/dense.js';
import { activationRanges } from '../trainer/onnx/activation-ranges.js';
import { exportFp32 } from '../trainer/onnx/export-fp32.js';
import { exportInt8 } from '../trainer/onnx/export-int8.js';
import type { BenchBundle } from './bench-bundle.js';
import { readDenseLayers } from './onnx-dense-layers.js';
import type { Measured } from './stats.js';
import { openTfjsEngine } from './tfjs-engine.js';
import { type Effort, timePeers } from './timing.js';

export const BATCH_SIZES = [1, 8, 64, 256] as const;

export interface InferenceRow {
  batch: number;
  /** µs per window. */
  int8: Measured;
  fp32: Measured;
  tfjs: Measured;
  fp32OverInt8: number;
  tfjsOverInt8: number;
}

export interface SizeRow {
  inputs: number;
  widths: number[];
  /** Multiply-accumulates per window. */
  macs: number;
  /** µs per window at batch 64. */
  int8: Measured;
  fp32: Measured;
  fp32OverInt8: number;
}

export interface InferenceResult {
  model: string;
  tfjsBackend: string;
  /** Largest |ORT fp32 - tfjs| over a batch: proves both run the same weights. */
  fp32VsTfjsMaxAbsDiff: number;
  int8VsFp32MaxAbsDiff: number;
  rows: InferenceRow[];
  /** Synthetic weights of the same architecture at larger input sizes: where int8 starts to pay. */
  sizes: SizeRow[];
}

/** Standardized-looking inputs (about N(0, 1)), deterministic. */
export function syntheticInputs(length: number, seed = 7): Float32Array {
  let s = seed >>> 0;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  return out;
}

/**
 * ORT int8, ORT fp32 (runtime/engines/ort-engine.ts: one intra-op thread, sequential, full graph optimization)
 * and tfjs (the trainer's forward pass) on the same bundle model, per window at batch 1, 8, 64 and 256.
 */
export async function benchInference(
  bundle: BenchBundle,
  effort: Effort,
  sizes: readonly number[],
  progress: (line: string) => void,
): Promise<InferenceResult> {
  const { manifest, dir } = bundle;
  const { inputName, outputName, inputSize } = manifest.model;
  const io = { inputName, outputName, inputSize };
  const int8 = await openOrtEngine(join(dir, manifest.files.int8.path), io);
  const fp32 = await openOrtEngine(join(dir, manifest.files.fp32.path), io);
  const tfjs = await openTfjsEngine(readDenseLayers(join(dir, manifest.files.fp32.path)));
  const input = syntheticInputs(Math.max(...BATCH_SIZES) * inputSize);
  try {
    const probe = 64;
    const [r8, r32, rtf] = [
      await int8.run(input, probe),
      (await fp32.run(input, probe)).slice(),
      await tfjs.run(input, probe),
    ];
    const rows: InferenceRow[] = [];
    for (const batch of BATCH_SIZES) {
      progress(`inference: batch ${batch}`);
      const peers = (
        [
          ['int8', int8],
          ['fp32', fp32],
          ['tfjs', tfjs],
        ] as const
      ).map(([name, engine]) => ({ name, op: () => engine.run(input, batch), per: batch }));
      const t = await timePeers(peers, effort);
      rows.push({
        batch,
        int8: t.int8,
        fp32: t.fp32,
        tfjs: t.tfjs,
        fp32OverInt8: t.fp32.median / t.int8.median,
        tfjsOverInt8: t.tfjs.median / t.int8.median,
      });
    }
    const sizeRows: SizeRow[] = [];
    for (const size of sizes) {
      progress(`inference: ${size}-input model (synthetic weights)`);
      sizeRows.push(await benchSize(size, dir, effort));
    }
    return {
      model: `${inputSize} inputs (${manifest.features.channels} ch x ${manifest.features.spectrum?.bands} spectrum bands), dense ${[inputSize, ...manifest.model.layers, ...manifest.model.layers.slice(0, -1).reverse(), inputSize].join('-')}, ${bundle.parameters} parameters`,
      tfjsBackend: tfjs.backend,
      fp32VsTfjsMaxAbsDiff: maxAbsDiff(r32, rtf),
      int8VsFp32MaxAbsDiff: maxAbsDiff(r8, r32),
      rows,
      sizes: sizeRows,
    };
  } finally {
    await Promise.all([int8.close(), fp32.close(), tfjs.close()]);
  }
}

async function benchSize(inputs: number, dir: string, effort: Effort): Promise<SizeRow> {
  const widths = layerWidths(inputs);
  const layers = randomLayers(inputs, widths);
  const calibration = syntheticInputs(256 * inputs, 3);
  const ranges = activationRanges(layers, calibration, 256, 4);
  const paths = { fp32: join(dir, `sweep-${inputs}.onnx`), int8: join(dir, `sweep-${inputs}.int8.onnx`) };
  writeFileSync(paths.fp32, exportFp32(layers));
  writeFileSync(paths.int8, exportInt8(layers, ranges));
  const io = { inputName: 'features', outputName: 'reconstruction', inputSize: inputs };
  const engines: Record<'int8' | 'fp32', InferenceEngine> = {
    int8: await openOrtEngine(paths.int8, io),
    fp32: await openOrtEngine(paths.fp32, io),
  };
  try {
    const batch = 64;
    const input = syntheticInputs(batch * inputs);
    const t = await timePeers(
      (['int8', 'fp32'] as const).map((name) => ({
        name,
        op: () => engines[name].run(input, batch),
        per: batch,
      })),
      effort,
    );
    return {
      inputs,
      widths,
      macs: layers.reduce((sum, l) => sum + l.inSize * l.outSize, 0),
      int8: t.int8,
      fp32: t.fp32,
      fp32OverInt8: t.fp32.median / t.int8.median,
    };
  } finally {
    await Promise.all([engines.int8.close(), engines.fp32.close()]);
  }
}

/** Glorot-uniform dense autoencoder of the trainer's architecture, relu hidden, linear bottleneck and output. */
function randomLayers(inputs: number, widths: number[]): DenseWeights[] {
  const sizes = [inputs, ...widths, ...widths.slice(0, -1).reverse(), inputs];
  const noise = syntheticInputs(
    sizes.reduce((s, n, i) => s + (i > 0 ? sizes[i - 1] * n : 0), 0),
    5,
  );
  let at = 0;
  const bottleneck = widths.length - 1;
  return sizes.slice(1).map((out, i) => {
    const inSize = sizes[i];
    const limit = Math.sqrt(6 / (inSize + out));
    const kernel = new Float32Array(inSize * out);
    for (let j = 0; j < kernel.length; j++) kernel[j] = Math.tanh(noise[at++]) * limit;
    const last = i === sizes.length - 2;
    return {
      inSize,
      outSize: out,
      kernel,
      bias: new Float32Array(out),
      activation: last || i === bottleneck ? 'linear' : 'relu',
    };
  });
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}
