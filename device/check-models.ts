import { basename } from 'node:path';
import type { EngineChoice } from '../runtime/engines/open-engine.js';
import type { InferenceEngine } from '../runtime/scoring/inference-engine.js';
import type { ModelVariant } from '../shared/bundle/manifest.js';
import type { Bundle } from '../shared/bundle/read.js';
import { ThrumError } from '../shared/errors.js';
import { printable } from '../shared/printable.js';

// `--check-config` loads each model the daemon will run, once, the way the daemon does (the engine
// model.engine chooses: onnxruntime-node, or onnxruntime-web where there is no native build) and scores a batch of 1 and of 2 zero windows: a file whose sha256 matches but is junk, was
// exported with other shapes or a fixed batch size, or computes NaN, fails here with one line instead of
// crashing `thrum run` later. The session is closed again.

const RETRAIN = 'copy the bundle again or re-run `thrum train`';

export async function checkModelsLoad(
  bundle: Bundle,
  variants: readonly ModelVariant[],
  open: EngineChoice['factory'],
): Promise<void> {
  const { inputSize } = bundle.manifest.model;
  for (const variant of variants) {
    const path = bundle.modelPath(variant);
    const shown = printable(path);
    const field = `files.${variant}`;
    let engine: InferenceEngine;
    try {
      engine = await open(variant);
    } catch (err) {
      throw new ThrumError(
        'BAD_BUNDLE',
        `${shown}: ONNX Runtime cannot load this model (${basename(bundle.manifestPath)} ${field}): ${reason(err)}; ${RETRAIN}`,
        { cause: err },
      );
    }
    try {
      for (const n of [1, 2]) {
        let out: Float32Array;
        try {
          out = await engine.run(new Float32Array(n * inputSize), n);
        } catch (err) {
          throw new ThrumError(
            'BAD_BUNDLE',
            `${shown}: the model does not score ${n} window(s) of model.inputSize ${inputSize} features: ${reason(err)}; ${RETRAIN}`,
            { cause: err },
          );
        }
        if (out.length !== n * inputSize) {
          throw new ThrumError(
            'BAD_BUNDLE',
            `${shown}: the model returns ${out.length} values for ${n} window(s), expected ${n * inputSize} (model.inputSize ${inputSize} each); ${RETRAIN}`,
          );
        }
        if (!out.every(Number.isFinite)) {
          throw new ThrumError('BAD_BUNDLE', `${shown}: the model computes NaN or Infinity; ${RETRAIN}`);
        }
      }
    } finally {
      await engine.close().catch(() => {});
    }
  }
}

/**
 * The first line of what ONNX Runtime said, shortened; it quotes node names from the file, so whatever they hold
 * (a carriage return, a terminal escape) is escaped.
 */
function reason(err: unknown): string {
  const text = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.trim();
  return printable(text.length > 300 ? `${text.slice(0, 297)}...` : text);
}
