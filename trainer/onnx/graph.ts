import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type Onnx = typeof onnxProto.onnx;
export type NodeProto = InstanceType<Onnx['NodeProto']>;
export type TensorProto = InstanceType<Onnx['TensorProto']>;

export const OPSET = 17;
/** ONNX IR version 8 goes with opset 17 (and is what onnx-proto encodes). */
const IR_VERSION = 8;
export const INPUT_NAME = 'features';
export const OUTPUT_NAME = 'reconstruction';

const DataType = onnx.TensorProto.DataType;

function bytesOf(view: ArrayBufferView): Uint8Array {
  // Typed arrays are little-endian on every platform Node runs on, which is ONNX raw_data's byte order.
  return new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}

export function floatTensor(name: string, dims: number[], data: Float32Array): TensorProto {
  return onnx.TensorProto.create({ name, dims, dataType: DataType.FLOAT, rawData: bytesOf(data) });
}

export function int8Tensor(name: string, dims: number[], data: Int8Array): TensorProto {
  return onnx.TensorProto.create({ name, dims, dataType: DataType.INT8, rawData: bytesOf(data) });
}

export function int32Tensor(name: string, dims: number[], data: Int32Array): TensorProto {
  return onnx.TensorProto.create({ name, dims, dataType: DataType.INT32, rawData: bytesOf(data) });
}

export type AttrValue = number | { int: number };

export function node(
  opType: string,
  inputs: string[],
  outputs: string[],
  name: string,
  attrs: Record<string, AttrValue> = {},
): NodeProto {
  const attribute = Object.entries(attrs).map(([key, v]) =>
    typeof v === 'number'
      ? onnx.AttributeProto.create({ name: key, type: onnx.AttributeProto.AttributeType.FLOAT, f: v })
      : onnx.AttributeProto.create({ name: key, type: onnx.AttributeProto.AttributeType.INT, i: v.int }),
  );
  return onnx.NodeProto.create({ opType, input: inputs, output: outputs, name, attribute });
}

function floatBatchInfo(name: string, size: number) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: DataType.FLOAT,
        shape: { dim: [{ dimParam: 'batch' }, { dimValue: size }] },
      },
    },
  });
}

/** Encodes a graph from `features` [batch, size] to `reconstruction` [batch, size]. No timestamps: same weights, same bytes. */
export function encodeModel(
  graphName: string,
  size: number,
  nodes: NodeProto[],
  initializers: TensorProto[],
): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: 'thrum',
    producerVersion: '1',
    opsetImport: [{ domain: '', version: OPSET }],
    graph: {
      name: graphName,
      node: nodes,
      initializer: initializers,
      input: [floatBatchInfo(INPUT_NAME, size)],
      output: [floatBatchInfo(OUTPUT_NAME, size)],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Op types of a serialized model, in graph order (e.g. to list what ORT fused). */
export function opTypesOf(bytes: Uint8Array): string[] {
  return onnx.ModelProto.decode(bytes).graph?.node?.map((n) => n.opType ?? '?') ?? [];
}
