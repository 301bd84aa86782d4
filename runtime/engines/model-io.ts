import { ThrumError } from '../../shared/errors.js';

/** What both ONNX Runtime builds' sessions expose about their graph (onnxruntime-node and -web alike). */
export interface SessionIo {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  release(): Promise<void>;
}

/**
 * Refuses a model whose input or output is not named as the manifest says (releasing the session first), so
 * a bundle whose manifest and model disagree fails at load, naming the file, not at the first window.
 */
export async function checkModelIo(
  session: SessionIo,
  io: { inputName: string; outputName: string },
  modelPath: string,
): Promise<void> {
  for (const [what, name, names] of [
    ['input', io.inputName, session.inputNames],
    ['output', io.outputName, session.outputNames],
  ] as const) {
    if (!names.includes(name)) {
      await session.release();
      throw new ThrumError(
        'BAD_BUNDLE',
        `${modelPath} has no ${what} named "${name}" (it has ${names.join(', ')}): the manifest's model.${what}Name ` +
          'does not match the model; retrain the bundle',
      );
    }
  }
}
