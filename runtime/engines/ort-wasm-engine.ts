import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as OrtWeb from 'onnxruntime-web';
import type { Manifest, ModelVariant } from '../../shared/bundle/manifest.js';
import { ThrumError } from '../../shared/errors.js';
import type { InferenceEngine } from '../scoring/inference-engine.js';
import { checkModelIo } from './model-io.js';
import type { OrtModelIo } from './ort-engine.js';

/**
 * The wasm build of ONNX Runtime (onnxruntime-web) behind the same InferenceEngine port as the native
 * engine: for boards onnxruntime-node ships no binary for (32-bit Raspberry Pi OS, linux/arm). One thread, no
 * proxy worker, and the .wasm read from onnxruntime-web's own dist/ folder next to the code (node_modules of a
 * clone or of a packed device tree), so it works offline. The int8 and fp32 models score bit-identically to
 * onnxruntime-node (checked by test/integration/runtime/wasm-engine-parity.test.ts), 3-9x slower.
 */

/** The single-threaded SIMD build every Node 20 supports (V8 has wasm SIMD on x64, arm64 and armv7). */
export const ORT_WASM_FILES = ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'] as const;

/** Same graph options as the native engine (one thread is implied: the runtime is told to use no workers). */
const SESSION_OPTIONS: OrtWeb.InferenceSession.SessionOptions = {
  executionProviders: ['wasm'],
  graphOptimizationLevel: 'all',
  executionMode: 'sequential',
};

/** onnxruntime-web's dist/ directory (where its .mjs glue and .wasm binary are). */
export function ortWasmDistDir(): string {
  const require = createRequire(import.meta.url);
  // The package exports no package.json; its CommonJS entry sits in dist/.
  return dirname(require.resolve('onnxruntime-web'));
}

let runtime: Promise<typeof OrtWeb> | undefined;

/** Loads and configures onnxruntime-web once per process (its `env` is global). */
export function loadOrtWasm(): Promise<typeof OrtWeb> {
  runtime ??= (async () => {
    const dist = ortWasmDistDir();
    const [mjs, wasm] = ORT_WASM_FILES.map((f) => join(dist, f)) as [string, string];
    for (const file of [mjs, wasm]) {
      if (!existsSync(file)) {
        throw new ThrumError(
          'MODEL_LOAD_FAILED',
          `the wasm engine needs ${file}, which is missing: reinstall onnxruntime-web (or repack the device tree)`,
        );
      }
    }
    const ort = await import('onnxruntime-web');
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.proxy = false;
    ort.env.wasm.wasmPaths = { mjs: pathToFileURL(mjs).href, wasm: pathToFileURL(wasm).href };
    // Handing the binary over avoids any fetch(): the runtime compiles exactly this file.
    const binary = readFileSync(wasm);
    ort.env.wasm.wasmBinary = binary.buffer.slice(binary.byteOffset, binary.byteOffset + binary.byteLength);
    ort.env.logLevel = 'error';
    return ort;
  })();
  runtime.catch(() => {
    runtime = undefined;
  });
  return runtime;
}

/** Loads an ONNX autoencoder with onnxruntime-web (wasm); MODEL_LOAD_FAILED names the file when it cannot. */
export async function openOrtWasmEngine(modelPath: string, io: OrtModelIo): Promise<InferenceEngine> {
  const ort = await loadOrtWasm();
  let session: OrtWeb.InferenceSession;
  try {
    session = await ort.InferenceSession.create(new Uint8Array(readFileSync(modelPath)), SESSION_OPTIONS);
  } catch (error) {
    throw new ThrumError(
      'MODEL_LOAD_FAILED',
      `cannot load ONNX model ${modelPath} (wasm engine): ${messageOf(error)}`,
      { cause: error },
    );
  }
  await checkModelIo(session, io, modelPath);
  const { inputName, outputName, inputSize } = io;
  return {
    inputSize,
    async run(batch, n) {
      // Copied: the wasm runtime reads the tensor after this call returns control, and the caller reuses batch.
      const input = new ort.Tensor('float32', batch.slice(0, n * inputSize), [n, inputSize]);
      const output = await session.run({ [inputName]: input });
      return output[outputName]!.data as Float32Array;
    },
    close: () => session.release(),
  };
}

/** Opens a bundle's model variants with the wasm engine; give it to selectVariant. */
export function ortWasmEngineFactory(bundle: {
  manifest: Pick<Manifest, 'model'>;
  modelPath(variant: ModelVariant): string;
}): (variant: ModelVariant) => Promise<InferenceEngine> {
  const { inputName, outputName, inputSize } = bundle.manifest.model;
  return (variant) => openOrtWasmEngine(bundle.modelPath(variant), { inputName, outputName, inputSize });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
