import { readFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import type { DenseWeights } from '../trainer/model/dense.js';

const { onnx } = onnxProto;

/**
 * The dense layers of a thrum fp32 model (a chain of Gemm, each optionally followed by Relu, as
 * trainer/onnx/export-fp32.ts writes it), read back from the file: so tfjs runs exactly the weights ONNX
 * Runtime runs.
 */
export function readDenseLayers(modelPath: string): DenseWeights[] {
  const graph = onnx.ModelProto.decode(readFileSync(modelPath)).graph;
  if (!graph?.node) throw new Error(`${modelPath}: no graph`);
  const tensors = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const floats = (name: string): { dims: number[]; data: Float32Array } => {
    const t = tensors.get(name);
    if (!t?.rawData || t.dataType !== onnx.TensorProto.DataType.FLOAT) {
      throw new Error(`${modelPath}: initializer ${name} is not raw float32`);
    }
    // A copy: protobufjs hands out Buffers that are views into a shared pool.
    const bytes = new Uint8Array(t.rawData);
    return { dims: (t.dims ?? []).map(Number), data: new Float32Array(bytes.buffer, 0, bytes.length / 4) };
  };
  const nodes = graph.node;
  const layers: DenseWeights[] = [];
  nodes.forEach((node, i) => {
    if (node.opType !== 'Gemm') return;
    if (node.attribute?.some((a) => (a.name === 'transA' || a.name === 'transB') && Number(a.i) !== 0)) {
      throw new Error(`${modelPath}: Gemm ${node.name} transposes an input; not a thrum dense chain`);
    }
    const [, w, b] = node.input ?? [];
    const kernel = floats(w);
    const next = nodes[i + 1];
    const relu = next?.opType === 'Relu' && next.input?.[0] === node.output?.[0];
    layers.push({
      inSize: kernel.dims[0],
      outSize: kernel.dims[1],
      kernel: kernel.data,
      bias: floats(b).data,
      activation: relu ? 'relu' : 'linear',
    });
  });
  if (layers.length === 0) throw new Error(`${modelPath}: no Gemm layers`);
  return layers;
}
