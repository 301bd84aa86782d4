import type { DenseWeights } from '../model/dense.js';
import type { Range } from './activation-ranges.js';
import {
  type AttrValue,
  encodeModel,
  floatTensor,
  INPUT_NAME,
  int8Tensor,
  int32Tensor,
  type NodeProto,
  node,
  OUTPUT_NAME,
  type TensorProto,
} from './graph.js';
import { activationQuant, quantizeBias, quantizeKernel } from './quant-params.js';

/**
 * QDQ int8 model: QuantizeLinear/DequantizeLinear pairs on every Gemm input (activations per tensor with the
 * calibrated ranges, weights per output channel, bias int32), relu kept before the Q (ORT folds it into a
 * zero point of -128). With graphOptimizationLevel 'all' ORT fuses each group into QGemm. The output layer
 * stays float, so the reconstruction is not rounded to an int8 grid.
 */
export function exportInt8(layers: DenseWeights[], ranges: Range[]): Uint8Array {
  const nodes: NodeProto[] = [];
  const inits: TensorProto[] = [];
  const act = ranges.map(activationQuant);
  let x = INPUT_NAME;
  layers.forEach((l, i) => {
    const p = `dense${i}`;
    const a = act[i];
    inits.push(
      floatTensor(`${p}.x_scale`, [], new Float32Array([a.scale])),
      int8Tensor(`${p}.x_zero`, [], new Int8Array([a.zeroPoint])),
    );
    nodes.push(
      node('QuantizeLinear', [x, `${p}.x_scale`, `${p}.x_zero`], [`${p}.x_q`], `${p}/QuantizeInput`),
      dequantize(`${p}.x`, `${p}/DequantizeInput`),
    );

    const w = quantizeKernel(l.kernel, l.inSize, l.outSize);
    inits.push(
      int8Tensor(`${p}.W_q`, [l.inSize, l.outSize], w.values),
      floatTensor(`${p}.W_scale`, [l.outSize], w.scales),
      int8Tensor(`${p}.W_zero`, [l.outSize], new Int8Array(l.outSize)),
    );
    nodes.push(dequantize(`${p}.W`, `${p}/DequantizeWeight`, 1));

    const b = quantizeBias(l.bias, a.scale, w.scales);
    inits.push(
      int32Tensor(`${p}.b_q`, [l.outSize], b.values),
      floatTensor(`${p}.b_scale`, [l.outSize], b.scales),
      int32Tensor(`${p}.b_zero`, [l.outSize], new Int32Array(l.outSize)),
    );
    nodes.push(dequantize(`${p}.b`, `${p}/DequantizeBias`, 0));

    const last = i === layers.length - 1;
    const gemmOut = last && l.activation === 'linear' ? OUTPUT_NAME : `${p}.y`;
    nodes.push(
      node('Gemm', [`${p}.x_dq`, `${p}.W_dq`, `${p}.b_dq`], [gemmOut], `${p}/Gemm`, { alpha: 1, beta: 1 }),
    );
    x = gemmOut;
    if (l.activation === 'relu') {
      const out = last ? OUTPUT_NAME : `${p}.relu`;
      nodes.push(node('Relu', [x], [out], `${p}/Relu`));
      x = out;
    }
  });
  return encodeModel('thrum_autoencoder_int8', layers[0].inSize, nodes, inits);
}

/** `<t>_q` dequantized with `<t>_scale` and `<t>_zero` (per channel along `axis`, if given) into `<t>_dq`. */
function dequantize(t: string, name: string, axis?: number): NodeProto {
  const attrs: Record<string, AttrValue> = axis === undefined ? {} : { axis: { int: axis } };
  return node('DequantizeLinear', [`${t}_q`, `${t}_scale`, `${t}_zero`], [`${t}_dq`], name, attrs);
}
