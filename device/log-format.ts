/**
 * The one-line human form of a daemon log record, for a terminal: `event  message  key=value ...`. pino-pretty
 * adds the time and level in front (see logger.ts). Nested values are compact JSON, long ones cut, so every
 * record stays one line; JSON stays the form for services (systemd, PM2, pipes).
 */
const SKIP = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'event', 'deviceId']);
const MAX_VALUE = 60;
/** Events whose message already says everything their fields hold (the fields are for machines). */
const SELF_DESCRIBED = new Set(['daemon.status', 'serial.line-capacity']);

export function humanLine(record: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof record.event === 'string') parts.push(record.event);
  if (typeof record.msg === 'string' && record.msg !== '') parts.push(record.msg);
  if (SELF_DESCRIBED.has(String(record.event))) return parts.join('  ');
  const fields = Object.entries(record)
    .filter(([k, v]) => !SKIP.has(k) && v !== undefined)
    .map(([k, v]) => `${k}=${valueText(v)}`);
  if (fields.length > 0) parts.push(fields.join(' '));
  return parts.join('  ');
}

function valueText(v: unknown): string {
  if (typeof v === 'number' && !Number.isInteger(v)) return String(Number(v.toPrecision(6)));
  const text = typeof v === 'string' ? (/\s/.test(v) ? JSON.stringify(v) : v) : JSON.stringify(v);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}
