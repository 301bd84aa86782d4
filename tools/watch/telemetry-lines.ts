import type { Health, ScoreSummary } from '../../shared/mqtt/contract.js';
import { formatScore } from './format-values.js';

// `thrum watch --scores --health`: one readable line per score summary and per health report. Health sections
// are diagnostic counters whose keys may change with any release (docs/mqtt.md), so each part is printed only
// when the counters it reads are there.

/** `pump-7/1  score p50 0.61 max 0.93 (threshold 1.46, int8)  6.0 windows/s` */
export function scoreLine(device: string, sensor: string, s: ScoreSummary): string {
  const middle = s.p50 !== undefined ? `p50 ${formatScore(s.p50)}` : `mean ${formatScore(s.mean)}`;
  const context = [
    s.threshold !== undefined ? `threshold ${formatScore(s.threshold)}` : undefined,
    s.variant,
  ].filter((x) => x !== undefined);
  const spanS = (Date.parse(s.to) - Date.parse(s.from)) / 1000;
  const rate = s.count > 1 && spanS > 0 ? `  ${((s.count - 1) / spanS).toFixed(1)} windows/s` : '';
  const parens = context.length > 0 ? ` (${context.join(', ')})` : '';
  return `${s.to}  ${device}/${sensor}  score ${middle} max ${formatScore(s.max)}${parens}${rate}`;
}

type Section = Record<string, unknown>;

/** `pump-7  health  flags: serialSilent | serial silent, 1.2 MB | rate 3198 Hz (expected 3200) | ...` */
export function healthLine(h: Health): string {
  const sec = (name: string): Section | undefined => h.sections[name] as Section | undefined;
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  const parts: string[] = [h.flags.length > 0 ? `flags: ${h.flags.join(', ')}` : 'ok'];
  const serial = sec('serial');
  if (serial) {
    const bytes = num(serial.bytes);
    parts.push(`serial ${String(serial.state ?? '?')}${bytes !== undefined ? `, ${megabytes(bytes)}` : ''}`);
  }
  const rate = sec('rate');
  if (rate && typeof rate.sensors === 'object' && rate.sensors !== null) {
    const measured = Object.entries(rate.sensors as Record<string, { measuredHz?: number }>)
      .map(([id, r]) => `${id}: ${Math.round(r.measuredHz ?? 0)} Hz`)
      .join(', ');
    parts.push(`rate ${measured || 'none yet'} (expected ${String(rate.expectedHz)} Hz)`);
  }
  const frames = sec('frames');
  if (frames) parts.push(`input bad ${num(frames.bad) ?? 0}, gaps ${num(frames.gaps) ?? 0}`);
  const inference = sec('inference');
  if (inference) {
    parts.push(
      `windows scored ${num(inference.scored) ?? 0}, dropped ${num(inference.dropped) ?? 0}${inference.variant ? ` (${String(inference.variant)})` : ''}`,
    );
  }
  const alerts = sec('alerts');
  if (alerts) parts.push(`alerts raised ${num(alerts.raised) ?? 0}, cleared ${num(alerts.cleared) ?? 0}`);
  const outbox = sec('outbox');
  if (outbox) parts.push(`outbox ${num(outbox.depth) ?? 0} pending`);
  const mqtt = sec('mqtt');
  if (mqtt) parts.push(mqtt.connected === false ? 'broker disconnected' : 'broker connected');
  return `${h.at}  ${h.deviceId}  health  ${parts.join(' | ')}`;
}

function megabytes(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1e3)} kB`;
}
