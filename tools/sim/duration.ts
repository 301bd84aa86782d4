import { ThrumError } from '../../shared/errors.js';

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, min: 60, h: 3600 };

/**
 * Parses a time such as `30s`, `1.5s`, `500ms`, `2m`, `1m30s`, `1h` or a bare number of seconds.
 * `what` names the option in the error message.
 */
export function parseDuration(text: string, what: string): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|min|s|m|h)/g)];
  const consumed = parts.map((p) => p[0]).join('');
  if (parts.length === 0 || consumed !== trimmed) {
    throw new ThrumError(
      'BAD_USAGE',
      `${what} '${text}' is not a time; use e.g. 30s, 1.5s, 500ms, 2m, 1m30s, 1h or a number of seconds`,
    );
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_SECONDS[p[2]!]!, 0);
}

/** Formats seconds compactly for summaries (`90` -> `1m30s`, `0.5` -> `500ms`). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'forever';
  if (seconds < 1 && seconds > 0) return `${Math.round(seconds * 1000)}ms`;
  const m = Math.floor(seconds / 60);
  const s = +(seconds - m * 60).toFixed(3);
  if (m === 0) return `${s}s`;
  return s === 0 ? `${m}m` : `${m}m${s}s`;
}
