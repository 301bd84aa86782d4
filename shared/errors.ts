/** What went wrong, as a stable code callers can branch on. */
export type ThrumErrorCode =
  | 'BAD_CONFIG'
  | 'BAD_BUNDLE'
  | 'BUNDLE_HASH_MISMATCH'
  | 'BAD_SIGNATURE'
  | 'BAD_DATA'
  | 'BAD_USAGE'
  | 'MODEL_LOAD_FAILED';

/**
 * The one error class of the project. `exitCode` 2 marks bad input (config, bundle, model, data, usage): the CLI
 * prints the message on one line and exits 2. Messages name the file or field and say what to do.
 */
export class ThrumError extends Error {
  override name = 'ThrumError';
  constructor(
    readonly code: ThrumErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** A model file ONNX Runtime cannot load is a bad bundle (junk, truncated, wrong shapes): bad input too. */
  get exitCode(): number {
    const { code } = this;
    return code.startsWith('BAD_') || code === 'BUNDLE_HASH_MISMATCH' || code === 'MODEL_LOAD_FAILED' ? 2 : 1;
  }
}
