import pino, { type Logger } from 'pino';

/** Keys that may hold secrets anywhere in a log record; pino replaces their values. */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'mqtt.password',
  '*.mqtt.password',
  'config.mqtt.password',
];

/**
 * The daemon's logger: JSON lines on stdout (what PM2 and journald collect), level from `log.level`,
 * secrets redacted. Synchronous writes, so the last lines before an exit are not lost.
 */
export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid, ...base },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pino.destination({ dest: 1, sync: true }),
  );
}
