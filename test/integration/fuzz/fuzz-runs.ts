// How many cases the fuzzers run: 10,000 in CI (CI=1), 1,000 locally unless THRUM_FUZZ_RUNS says otherwise.
export const FUZZ_RUNS = Number(process.env.THRUM_FUZZ_RUNS ?? (process.env.CI ? 10_000 : 1_000));
/** Cases also run through the real `thrum` process (exit code, stderr, no stack). */
export const SPAWNED_CASES = 20;

/** What a refusal must look like: one visible line (no line break of any kind), of sane length. */
export const LINE_BREAK = /[\n\r\v\f\u0085\u2028\u2029]/;
export const MAX_MESSAGE_CHARS = 2000;
