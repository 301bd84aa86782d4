import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { humanLine } from './log-format.js';

/** Keys that may hold secrets anywhere in a log record; pino replaces their values. */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'mqtt.password',
  '*.mqtt.password',
  'config.mqtt.password',
];

export type LogFormat = 'auto' | 'json' | 'pretty';

/** `auto`: readable lines on a terminal, JSON for everything else (systemd, PM2, a pipe, a file). */
export function resolveLogFormat(format: LogFormat, isTty: boolean): 'json' | 'pretty' {
  return format === 'auto' ? (isTty ? 'pretty' : 'json') : format;
}

/**
 * The daemon's logger: JSON lines on stdout (what PM2 and journald collect) or, on a terminal, one readable
 * line per record; level from `log.level`, secrets redacted (before either form is written). Synchronous
 * writes, so the last lines before an exit are not lost.
 */
export function createLogger(
  level: string,
  base: Record<string, unknown> = {},
  format: LogFormat = 'json',
): Logger {
  const form = resolveLogFormat(format, process.stdout.isTTY === true);
  const destination: DestinationStream =
    form === 'pretty'
      ? pretty({
          sync: true,
          destination: 1,
          colorize: process.stdout.isTTY === true && !process.env.NO_COLOR,
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'pid,hostname',
          hideObject: true,
          messageFormat: (record) => humanLine(record),
        })
      : pino.destination({ dest: 1, sync: true });
  return pino(
    {
      level,
      base: { pid: process.pid, ...base },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
