import { describe, expect, it } from 'vitest';
import {
  type EngineBundle,
  type EngineLoaders,
  openEngine,
} from '../../../../runtime/engines/open-engine.js';
import type { InferenceEngine } from '../../../../runtime/scoring/inference-engine.js';

const bundle = {
  manifest: { model: { inputName: 'features', outputName: 'reconstruction', inputSize: 4 } },
  modelPath: (v: string) => `/bundle/model.${v}.onnx`,
} as unknown as EngineBundle;
const labelOf = (engine: InferenceEngine) => (engine as unknown as { label: string }).label;

const fakeEngine = (label: string): InferenceEngine & { label: string } => ({
  label,
  inputSize: 4,
  run: async (b) => b,
  close: async () => {},
});

function recorder() {
  const lines: { obj: object; msg?: string }[] = [];
  const log = {
    debug() {},
    info: (obj: object, msg?: string) => lines.push({ obj, msg }),
    warn() {},
    error() {},
  };
  return { log, lines };
}

const loaders = (nativeLoads: boolean): EngineLoaders => ({
  native: async () => {
    if (!nativeLoads)
      throw new Error("Cannot find module '../bin/napi-v6/linux/arm/onnxruntime_binding.node'");
    return { ortEngineFactory: () => async () => fakeEngine('native') };
  },
  wasm: async () => ({ ortWasmEngineFactory: () => async () => fakeEngine('wasm') }),
});

describe('openEngine (model.engine)', () => {
  it('auto picks native when onnxruntime-node loads, and logs engine.chosen', async () => {
    const { log, lines } = recorder();
    const choice = await openEngine('auto', bundle, log, loaders(true));
    expect(choice.engine).toBe('native');
    expect(labelOf(await choice.factory('int8'))).toBe('native');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.obj).toMatchObject({ event: 'engine.chosen', engine: 'native' });
    expect(choice.health()).toEqual({ engine: 'native', reason: choice.reason });
  });

  it('auto falls back to wasm when onnxruntime-node has no binary here, and says why', async () => {
    const { log, lines } = recorder();
    const choice = await openEngine('auto', bundle, log, loaders(false));
    expect(choice.engine).toBe('wasm');
    expect(choice.reason).toMatch(/onnxruntime-node does not load on .*napi-v6\/linux\/arm/);
    expect(labelOf(await choice.factory('fp32'))).toBe('wasm');
    expect(lines[0]!.obj).toMatchObject({ event: 'engine.chosen', engine: 'wasm', reason: choice.reason });
  });

  it('native fails with a one-line reason and the fix when onnxruntime-node cannot load', async () => {
    const { log } = recorder();
    await expect(openEngine('native', bundle, log, loaders(false))).rejects.toMatchObject({
      code: 'MODEL_LOAD_FAILED',
      message: expect.stringMatching(/native \(onnxruntime-node\).*model\.engine: wasm/),
    });
  });

  it('wasm is used when configured, even where native loads', async () => {
    const { log } = recorder();
    const choice = await openEngine('wasm', bundle, log, loaders(true));
    expect(choice).toMatchObject({ engine: 'wasm', reason: 'configured' });
  });

  it('the real loaders import lazily: importing open-engine loads no ONNX Runtime', async () => {
    const mod = await import('../../../../runtime/engines/open-engine.js');
    expect(typeof mod.defaultLoaders.native).toBe('function');
  });
});
