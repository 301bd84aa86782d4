import type { DenseWeights } from '../model/dense.js';
import {
  encodeModel,
  floatTensor,
  INPUT_NAME,
  type NodeProto,
  node,
  OUTPUT_NAME,
  type TensorProto,
} from './graph.js';

/** Dense layers -> Gemm (+ Relu) chain: `features` [batch, D] -> `reconstruction` [batch, D], float32. */
export function exportFp32(layers: DenseWeights[]): Uint8Array {
  const nodes: NodeProto[] = [];
  const inits: TensorProto[] = [];
  let x = INPUT_NAME;
  layers.forEach((l, i) => {
    const last = i === layers.length - 1;
    const gemmOut = last && l.activation === 'linear' ? OUTPUT_NAME : `dense${i}`;
    inits.push(
      floatTensor(`dense${i}.W`, [l.inSize, l.outSize], l.kernel),
      floatTensor(`dense${i}.b`, [l.outSize], l.bias),
    );
    nodes.push(
      node('Gemm', [x, `dense${i}.W`, `dense${i}.b`], [gemmOut], `dense${i}/Gemm`, { alpha: 1, beta: 1 }),
    );
    x = gemmOut;
    if (l.activation === 'relu') {
      const out = last ? OUTPUT_NAME : `dense${i}.relu`;
      nodes.push(node('Relu', [x], [out], `dense${i}/Relu`));
      x = out;
    }
  });
  return encodeModel('thrum_autoencoder', layers[0].inSize, nodes, inits);
}
