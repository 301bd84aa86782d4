/** Bad usage or bad input: the CLI prints `thrum: <message>` on one line and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode = 2;
}
