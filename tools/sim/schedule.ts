import { ThrumError } from '../../shared/errors.js';
import { formatDuration, parseDuration } from './duration.js';

export const FAULT_KINDS = [
  'imbalance',
  'misalignment',
  'looseness',
  'bearing-outer',
  'bearing-inner',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const DEFAULT_SEVERITY = 0.5;

/** One fault, active on [start, end) seconds of stream time. */
export interface FaultInterval {
  kind: FaultKind;
  start: number;
  end: number;
  severity: number;
}

/** A schedule entry before `clear` events are applied. */
export type ScheduleEvent =
  | { type: 'fault'; kind: FaultKind; at: number; duration?: number; severity: number }
  | { type: 'clear'; at: number };

/**
 * Parses the `--schedule` syntax: comma-separated entries
 *   <fault>@<time>[+<duration>][:<severity>]    e.g. imbalance@20s:0.8, looseness@1m+30s
 *   clear@<time>                                 ends every fault active at that time
 */
export function parseSchedule(text: string): ScheduleEvent[] {
  const events: ScheduleEvent[] = [];
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const m = /^([a-z-]+)@([^+:]+)(?:\+([^:]+))?(?::(.+))?$/.exec(entry);
    if (!m) {
      throw badSchedule(entry, 'expected <fault>@<time>[+<duration>][:<severity>] or clear@<time>');
    }
    const [, name, atText, durationText, severityText] = m;
    const at = parseDuration(atText!, `--schedule '${entry}': time`);
    if (name === 'clear') {
      if (durationText !== undefined || severityText !== undefined) {
        throw badSchedule(entry, 'clear takes only a time, e.g. clear@60s');
      }
      events.push({ type: 'clear', at });
      continue;
    }
    events.push({
      type: 'fault',
      kind: parseFaultKind(name!, `--schedule '${entry}'`),
      at,
      duration:
        durationText === undefined
          ? undefined
          : parseDuration(durationText, `--schedule '${entry}': duration`),
      severity:
        severityText === undefined ? DEFAULT_SEVERITY : parseSeverity(severityText, `--schedule '${entry}'`),
    });
  }
  return events;
}

/** Options of the repeatable `--fault/--at/--severity/--duration` form, paired by position. */
export interface FaultFlags {
  fault: string[];
  at: string[];
  severity: string[];
  duration: string[];
}

/**
 * The i-th --fault takes the i-th --at/--severity/--duration. A flag given once applies to every fault;
 * otherwise each flag must be given as often as --fault (or not at all).
 */
export function eventsFromFlags(flags: FaultFlags): ScheduleEvent[] {
  const n = flags.fault.length;
  if (n === 0) {
    const stray = (['at', 'severity', 'duration'] as const).find((k) => flags[k].length > 0);
    if (stray) throw new ThrumError('BAD_USAGE', `--${stray} needs a --fault to apply to`);
    return [];
  }
  const pick = (key: 'at' | 'severity' | 'duration', i: number): string | undefined => {
    const values = flags[key];
    if (values.length === 0) return undefined;
    if (values.length === 1) return values[0];
    if (values.length !== n) {
      throw new ThrumError(
        'BAD_USAGE',
        `--${key} was given ${values.length} times for ${n} --fault flags; give it once (for all) or once per --fault`,
      );
    }
    return values[i];
  };
  return flags.fault.map((name, i) => {
    const at = pick('at', i);
    const severity = pick('severity', i);
    const duration = pick('duration', i);
    return {
      type: 'fault' as const,
      kind: parseFaultKind(name, '--fault'),
      at: at === undefined ? 0 : parseDuration(at, '--at'),
      duration: duration === undefined ? undefined : parseDuration(duration, '--duration'),
      severity: severity === undefined ? DEFAULT_SEVERITY : parseSeverity(severity, '--severity'),
    };
  });
}

/** Applies `clear` events and durations: the fault intervals, sorted by start. */
export function resolveSchedule(events: ScheduleEvent[]): FaultInterval[] {
  const clears = events.filter((e) => e.type === 'clear').map((e) => e.at);
  const intervals: FaultInterval[] = [];
  for (const e of events) {
    if (e.type !== 'fault') continue;
    let end = e.duration === undefined ? Number.POSITIVE_INFINITY : e.at + e.duration;
    // A clear at the very moment a fault starts does not end it: `clear@60s,bearing-outer@60s` swaps faults.
    for (const c of clears) if (c > e.at && c < end) end = c;
    if (end > e.at) intervals.push({ kind: e.kind, start: e.at, end, severity: e.severity });
  }
  return intervals.sort((a, b) => a.start - b.start);
}

/** `imbalance@20s+40s:0.8` style, for the start-up summary. */
export function describeSchedule(intervals: FaultInterval[]): string {
  if (intervals.length === 0) return 'healthy';
  return intervals
    .map((f) => {
      const dur = Number.isFinite(f.end) ? `+${formatDuration(f.end - f.start)}` : '';
      return `${f.kind}@${formatDuration(f.start)}${dur}:${f.severity}`;
    })
    .join(',');
}

function parseFaultKind(name: string, where: string): FaultKind {
  if ((FAULT_KINDS as readonly string[]).includes(name)) return name as FaultKind;
  throw new ThrumError(
    'BAD_USAGE',
    `${where}: unknown fault '${name}'; use one of ${FAULT_KINDS.join(', ')}`,
  );
}

function parseSeverity(text: string, where: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new ThrumError('BAD_USAGE', `${where}: severity '${text}' must be a number from 0 to 1`);
  }
  return value;
}

function badSchedule(entry: string, why: string): ThrumError {
  return new ThrumError('BAD_USAGE', `--schedule entry '${entry}': ${why}`);
}
