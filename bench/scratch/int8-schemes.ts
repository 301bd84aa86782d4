/**
 * Scratch experiment (issue #15 item 3), not part of `thrum bench`: do other int8 schemes beat fp32 at batch 1
 * on this CPU? Trains the bench bundle (96-48-24-12-24-48-96), exports each scheme from the same weights and
 * calibrated ranges, times every scheme at batch 1/8/64 interleaved (round-robin, medians of rounds) and ranks
 * a fresh holdout like fp32 or not (Spearman of window scores).
 *
 *   npx tsx bench/scratch/int8-schemes.ts [rounds]
 */
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { openOrtEngine } from '../../runtime/engines/ort-engine.js';
import type { InferenceEngine } from '../../runtime/scoring/inference-engine.js';
import { scoreFeatureRows } from '../../runtime/scoring/score-matrix.js';
import { createScorer } from '../../runtime/scoring/scorer.js';
import { FeatureExtractor } from '../../shared/features/extractor.js';
import { spearman } from '../../trainer/calibration/spearman.js';
import type { DenseWeights } from '../../trainer/model/dense.js';
import type { Range } from '../../trainer/onnx/activation-ranges.js';
import { exportFp32 } from '../../trainer/onnx/export-fp32.js';
import { exportInt8 } from '../../trainer/onnx/export-int8.js';
import {
  encodeModel,
  floatTensor,
  INPUT_NAME,
  int8Tensor,
  int32Tensor,
  type NodeProto,
  node,
  OUTPUT_NAME,
  type TensorProto,
} from '../../trainer/onnx/graph.js';
import { optimizedOps } from '../../trainer/onnx/optimized-ops.js';
import { activationQuant, quantizeBias, quantizeKernel } from '../../trainer/onnx/quant-params.js';
import { BENCH_CHANNELS, simulatedSamples, trainBenchBundle } from '../bench-bundle.js';
import { readDenseLayers } from '../onnx-dense-layers.js';

const { onnx } = onnxProto;
const uint8Tensor = (name: string, dims: number[], data: Uint8Array): TensorProto =>
  onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.UINT8, rawData: data });

/** Gemm + optional relu, float weights. */
function floatLayer(
  nodes: NodeProto[],
  inits: TensorProto[],
  l: DenseWeights,
  p: string,
  x: string,
  last: boolean,
) {
  inits.push(
    floatTensor(`${p}.W`, [l.inSize, l.outSize], l.kernel),
    floatTensor(`${p}.b`, [l.outSize], l.bias),
  );
  const out = last && l.activation === 'linear' ? OUTPUT_NAME : `${p}.y`;
  nodes.push(node('Gemm', [x, `${p}.W`, `${p}.b`], [out], `${p}/Gemm`, { alpha: 1, beta: 1 }));
  return relu(nodes, l, p, out, last);
}

function relu(nodes: NodeProto[], l: DenseWeights, p: string, x: string, last: boolean): string {
  if (l.activation !== 'relu') return x;
  const out = last ? OUTPUT_NAME : `${p}.relu`;
  nodes.push(node('Relu', [x], [out], `${p}/Relu`));
  return out;
}

/** Full QDQ layer as export-int8.ts, with int8 or uint8 activations. */
function qdqLayer(
  nodes: NodeProto[],
  inits: TensorProto[],
  l: DenseWeights,
  p: string,
  x: string,
  last: boolean,
  range: Range,
  u8: boolean,
) {
  const a = activationQuant(range);
  inits.push(floatTensor(`${p}.x_scale`, [], new Float32Array([a.scale])));
  if (u8) inits.push(uint8Tensor(`${p}.x_zero`, [], new Uint8Array([a.zeroPoint + 128])));
  else inits.push(int8Tensor(`${p}.x_zero`, [], new Int8Array([a.zeroPoint])));
  nodes.push(
    node('QuantizeLinear', [x, `${p}.x_scale`, `${p}.x_zero`], [`${p}.x_q`], `${p}/Q`),
    node('DequantizeLinear', [`${p}.x_q`, `${p}.x_scale`, `${p}.x_zero`], [`${p}.x_dq`], `${p}/DQ`),
  );
  const w = quantizeKernel(l.kernel, l.inSize, l.outSize);
  inits.push(
    int8Tensor(`${p}.W_q`, [l.inSize, l.outSize], w.values),
    floatTensor(`${p}.W_scale`, [l.outSize], w.scales),
    int8Tensor(`${p}.W_zero`, [l.outSize], new Int8Array(l.outSize)),
  );
  nodes.push(
    node('DequantizeLinear', [`${p}.W_q`, `${p}.W_scale`, `${p}.W_zero`], [`${p}.W_dq`], `${p}/DQW`, {
      axis: { int: 1 },
    }),
  );
  const b = quantizeBias(l.bias, a.scale, w.scales);
  inits.push(
    int32Tensor(`${p}.b_q`, [l.outSize], b.values),
    floatTensor(`${p}.b_scale`, [l.outSize], b.scales),
    int32Tensor(`${p}.b_zero`, [l.outSize], new Int32Array(l.outSize)),
  );
  nodes.push(
    node('DequantizeLinear', [`${p}.b_q`, `${p}.b_scale`, `${p}.b_zero`], [`${p}.b_dq`], `${p}/DQB`, {
      axis: { int: 0 },
    }),
  );
  const out = last && l.activation === 'linear' ? OUTPUT_NAME : `${p}.y`;
  nodes.push(
    node('Gemm', [`${p}.x_dq`, `${p}.W_dq`, `${p}.b_dq`], [out], `${p}/Gemm`, { alpha: 1, beta: 1 }),
  );
  return relu(nodes, l, p, out, last);
}

/** (a) weight-only: int8 weights dequantized to float, activations float. */
function weightOnlyLayer(
  nodes: NodeProto[],
  inits: TensorProto[],
  l: DenseWeights,
  p: string,
  x: string,
  last: boolean,
) {
  const w = quantizeKernel(l.kernel, l.inSize, l.outSize);
  inits.push(
    int8Tensor(`${p}.W_q`, [l.inSize, l.outSize], w.values),
    floatTensor(`${p}.W_scale`, [l.outSize], w.scales),
    int8Tensor(`${p}.W_zero`, [l.outSize], new Int8Array(l.outSize)),
    floatTensor(`${p}.b`, [l.outSize], l.bias),
  );
  nodes.push(
    node('DequantizeLinear', [`${p}.W_q`, `${p}.W_scale`, `${p}.W_zero`], [`${p}.W_dq`], `${p}/DQW`, {
      axis: { int: 1 },
    }),
  );
  const out = last && l.activation === 'linear' ? OUTPUT_NAME : `${p}.y`;
  nodes.push(node('Gemm', [x, `${p}.W_dq`, `${p}.b`], [out], `${p}/Gemm`, { alpha: 1, beta: 1 }));
  return relu(nodes, l, p, out, last);
}

/** (b) dynamic: DynamicQuantizeLinear (uint8, per batch) + MatMulInteger + scale + bias (ORT: DynamicQuantizeMatMul). */
function dynamicLayer(
  nodes: NodeProto[],
  inits: TensorProto[],
  l: DenseWeights,
  p: string,
  x: string,
  last: boolean,
) {
  const w = quantizeKernel(l.kernel, l.inSize, l.outSize);
  inits.push(
    int8Tensor(`${p}.W_q`, [l.inSize, l.outSize], w.values),
    int8Tensor(`${p}.W_zero`, [l.outSize], new Int8Array(l.outSize)),
    floatTensor(`${p}.W_scale`, [l.outSize], w.scales),
    floatTensor(`${p}.b`, [l.outSize], l.bias),
  );
  nodes.push(
    node('DynamicQuantizeLinear', [x], [`${p}.x_q`, `${p}.x_scale`, `${p}.x_zero`], `${p}/DQL`),
    node('MatMulInteger', [`${p}.x_q`, `${p}.W_q`, `${p}.x_zero`, `${p}.W_zero`], [`${p}.acc`], `${p}/MMI`),
    node('Cast', [`${p}.acc`], [`${p}.accf`], `${p}/Cast`, { to: { int: 1 } }),
    node('Mul', [`${p}.x_scale`, `${p}.W_scale`], [`${p}.s`], `${p}/MulScale`),
    node('Mul', [`${p}.accf`, `${p}.s`], [`${p}.mm`], `${p}/Mul`),
  );
  const out = last && l.activation === 'linear' ? OUTPUT_NAME : `${p}.y`;
  nodes.push(node('Add', [`${p}.mm`, `${p}.b`], [out], `${p}/Add`));
  return relu(nodes, l, p, out, last);
}

type Scheme = (layers: DenseWeights[], ranges: Range[]) => Uint8Array;

function chain(
  name: string,
  layers: DenseWeights[],
  pick: (nodes: NodeProto[], inits: TensorProto[], i: number, x: string, last: boolean) => string,
) {
  const nodes: NodeProto[] = [];
  const inits: TensorProto[] = [];
  let x = INPUT_NAME;
  layers.forEach((_, i) => {
    x = pick(nodes, inits, i, x, i === layers.length - 1);
  });
  return encodeModel(name, layers[0].inSize, nodes, inits);
}

const SCHEMES: Record<string, Scheme> = {
  fp32: (layers) => exportFp32(layers),
  'qdq (product)': (layers, ranges) => exportInt8(layers, ranges),
  'a weight-only': (layers) =>
    chain('wo', layers, (n, t, i, x, last) => weightOnlyLayer(n, t, layers[i], `d${i}`, x, last)),
  'b dynamic': (layers) =>
    chain('dyn', layers, (n, t, i, x, last) => dynamicLayer(n, t, layers[i], `d${i}`, x, last)),
  'c qdq, edges float': (layers, ranges) =>
    chain('edge', layers, (n, t, i, x, last) =>
      i === 0 || last
        ? floatLayer(n, t, layers[i], `d${i}`, x, last)
        : qdqLayer(n, t, layers[i], `d${i}`, x, last, ranges[i], false),
    ),
  'd qdq uint8 act': (layers, ranges) =>
    chain('u8', layers, (n, t, i, x, last) => qdqLayer(n, t, layers[i], `d${i}`, x, last, ranges[i], true)),
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function timeUs(
  engine: InferenceEngine,
  input: Float32Array,
  batch: number,
  calls: number,
): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) await engine.run(input, batch);
  return ((performance.now() - t0) * 1000) / (calls * batch);
}

async function main() {
  const rounds = Number(process.argv[2] ?? 15);
  const CALL_WINDOWS = Number(process.argv[3] ?? 2000);
  const bundle = await trainBenchBundle(8);
  const { manifest } = bundle;
  const layers = readDenseLayers(join(bundle.dir, manifest.files.fp32.path));
  // biome-ignore lint/suspicious/noExplicitAny: scratch: the summary is passthrough in the manifest schema
  const ranges: Range[] = (manifest.training as any).summary.int8.activationRanges;
  const io = {
    inputName: manifest.model.inputName,
    outputName: manifest.model.outputName,
    inputSize: manifest.model.inputSize,
  };
  const extractor = new FeatureExtractor(manifest.features, manifest.normalization, manifest.channelNames);
  // Fresh healthy data (another seed than training): the holdout the schemes are ranked on.
  const samples = simulatedSamples(60, 77);
  const { window, hop } = manifest.features;
  const n = Math.floor((samples.length / BENCH_CHANNELS - window) / hop) + 1;
  const rows = new Float32Array(n * extractor.size);
  for (let w = 0; w < n; w++) {
    extractor.extract(
      samples.subarray(w * hop * BENCH_CHANNELS, (w * hop + window) * BENCH_CHANNELS),
      rows,
      w * extractor.size,
    );
  }
  const engines: Record<string, InferenceEngine> = {};
  const scores: Record<string, Float64Array> = {};
  for (const [name, scheme] of Object.entries(SCHEMES)) {
    const model = scheme(layers, ranges);
    console.log(`${name}: ORT runs ${[...new Set(await optimizedOps(model))].join(', ')}`);
    engines[name] = await openOrtEngine(model, io);
    scores[name] = await scoreFeatureRows(createScorer(engines[name], extractor.groups), rows);
  }
  const batches = [1, 8, 64];
  const input = rows.subarray(0, 64 * extractor.size);
  const samplesUs: Record<string, number[]> = {};
  for (let r = 0; r < rounds; r++) {
    for (const b of batches) {
      const calls = Math.max(10, Math.round(CALL_WINDOWS / b));
      // Rotated each round, so no scheme always runs right after the same neighbour (caches, load swings).
      const names = Object.keys(SCHEMES);
      const order = names.map((_, k) => names[(k + r) % names.length]);
      for (const name of order) {
        if (r === 0) await timeUs(engines[name], input, b, 20);
        const key = `${name}@${b}`;
        samplesUs[key] ??= [];
        samplesUs[key].push(await timeUs(engines[name], input, b, calls));
      }
    }
  }
  console.log(
    `holdout windows ${n}, inputs ${extractor.size}, widths ${manifest.model.layers}, rounds ${rounds}`,
  );
  console.log('| scheme | b1 µs | b1 fp32/x | b8 µs | b8 fp32/x | b64 µs | b64 fp32/x | Spearman vs fp32 |');
  for (const name of Object.keys(SCHEMES)) {
    // The ratio is taken within each round (same load moment), then the median over rounds.
    const cells = batches.flatMap((b) => {
      const mine = samplesUs[`${name}@${b}`];
      const ratios = mine.map((m, r) => samplesUs[`fp32@${b}`][r] / m);
      return [median(mine).toFixed(2), median(ratios).toFixed(2)];
    });
    console.log(`| ${name} | ${cells.join(' | ')} | ${spearman(scores.fp32, scores[name]).toFixed(5)} |`);
  }
  for (const e of Object.values(engines)) await e.close();
}

await main();
