import { createRequire } from 'node:module';
import type { Manifest, ModelVariant } from '../../shared/bundle/manifest.js';
import { ThrumError } from '../../shared/errors.js';
import type { Log } from '../../shared/log.js';
import type { InferenceEngine } from '../scoring/inference-engine.js';

/** `model.engine` in thrum.yaml. */
export const ENGINE_REQUESTS = ['auto', 'native', 'wasm'] as const;
export type EngineRequest = (typeof ENGINE_REQUESTS)[number];
/** The ONNX Runtime build that scores: onnxruntime-node (native) or onnxruntime-web (wasm). */
export type EngineKind = 'native' | 'wasm';

export interface EngineChoice {
  engine: EngineKind;
  /** Why this engine: `configured`, or why native could not be used (auto). */
  reason: string;
  /** Opens a variant of the bundle with the chosen engine; give it to selectVariant. */
  factory: (variant: ModelVariant) => Promise<InferenceEngine>;
  /** For the health report: `{ engine, reason }`. */
  health(): { engine: EngineKind; reason: string };
}

export interface EngineBundle {
  manifest: Pick<Manifest, 'model'>;
  modelPath(variant: ModelVariant): string;
}

/** How the two builds are loaded; tests replace them to simulate a board without a native binary. */
export interface EngineLoaders {
  native(): Promise<{ ortEngineFactory(bundle: EngineBundle): EngineChoice['factory'] }>;
  wasm(): Promise<{ ortWasmEngineFactory(bundle: EngineBundle): EngineChoice['factory'] }>;
}

/**
 * Both are loaded on demand: onnxruntime-node loads its binary (bin/napi-v6/<os>/<arch>) while it is imported,
 * so on a board it has none for (linux/arm) or whose glibc is too old a static import would crash the
 * process before it could choose. It is first require()d: Node 20 reports a CommonJS package that throws
 * while an ES module imports it as an uncaught exception even when the import() is caught (the process
 * dies); a failed require() is an ordinary exception, and a loaded one is what the import then reuses.
 */
export const defaultLoaders: EngineLoaders = {
  native: async () => {
    createRequire(import.meta.url)('onnxruntime-node');
    return import('./ort-engine.js');
  },
  wasm: () => import('./ort-wasm-engine.js'),
};

/**
 * Chooses the inference engine for `model.engine`: `native` (onnxruntime-node, fails when it cannot load),
 * `wasm` (onnxruntime-web), or `auto`: native when onnxruntime-node loads on this platform, else wasm. Logs
 * `{event: 'engine.chosen', engine, reason}` once.
 */
export async function openEngine(
  request: EngineRequest,
  bundle: EngineBundle,
  log: Log,
  loaders: EngineLoaders = defaultLoaders,
): Promise<EngineChoice> {
  const platform = `${process.platform}/${process.arch}`;
  const choose = (engine: EngineKind, reason: string, factory: EngineChoice['factory']): EngineChoice => {
    log.info({ event: 'engine.chosen', engine, reason, platform }, `inference engine: ${engine} (${reason})`);
    return { engine, reason, factory, health: () => ({ engine, reason }) };
  };
  const wasm = async (reason: string) => {
    try {
      return choose('wasm', reason, (await loaders.wasm()).ortWasmEngineFactory(bundle));
    } catch (error) {
      throw loadFailed('wasm (onnxruntime-web)', error, 'reinstall the device tree');
    }
  };
  if (request === 'wasm') return wasm('configured');
  let native: Awaited<ReturnType<EngineLoaders['native']>>;
  try {
    native = await loaders.native();
  } catch (error) {
    if (request === 'native') {
      throw loadFailed('native (onnxruntime-node)', error, 'set model.engine: wasm (or auto) in the config');
    }
    return wasm(`onnxruntime-node does not load on ${platform}: ${firstLine(error)}`);
  }
  return choose(
    'native',
    request === 'native' ? 'configured' : `onnxruntime-node loads on ${platform}`,
    native.ortEngineFactory(bundle),
  );
}

function loadFailed(what: string, error: unknown, hint: string): ThrumError {
  return new ThrumError(
    'MODEL_LOAD_FAILED',
    `the ${what} inference engine cannot be loaded on ${process.platform}/${process.arch}: ${firstLine(error)}; ${hint}`,
    { cause: error },
  );
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 300);
}
