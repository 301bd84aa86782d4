import pino, { type Logger } from 'pino';

/**
 * The soak's own log: JSON lines on stderr, each with a stable `event` (docs/logging.md) and the seconds since
 * the start, so a long run can be searched and graphed afterwards. The counting report goes to stdout as text.
 */
export function createSoakLog(startedAt: number): Logger {
  return pino(
    {
      base: { name: 'soak' },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: () => ({ elapsedS: Math.round((Date.now() - startedAt) / 100) / 10 }),
    },
    pino.destination({ dest: 2, sync: true }),
  );
}
