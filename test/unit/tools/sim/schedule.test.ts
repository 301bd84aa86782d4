import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../../tools/sim/duration.js';
import {
  DEFAULT_SEVERITY,
  describeSchedule,
  eventsFromFlags,
  parseSchedule,
  resolveSchedule,
} from '../../../../tools/sim/schedule.js';

const noFlags = { fault: [], at: [], severity: [], duration: [] };

describe('parseDuration', () => {
  it.each([
    ['30s', 30],
    ['1.5s', 1.5],
    ['500ms', 0.5],
    ['2m', 120],
    ['1m30s', 90],
    ['1h', 3600],
    ['12', 12],
    ['0.25', 0.25],
  ])('%s is %d seconds', (text, seconds) => {
    expect(parseDuration(text, '--at')).toBeCloseTo(seconds, 9);
  });

  it.each(['', 'soon', '10x', '-5s', '5s junk', 's'])('rejects %j naming the option', (text) => {
    expect(() => parseDuration(text, '--at')).toThrow(/--at .* is not a time/);
  });
});

describe('parseSchedule / resolveSchedule', () => {
  it('reads faults with time, duration and severity, and clear', () => {
    const events = parseSchedule('imbalance@20s:0.8, looseness@1m+30s, clear@70s, bearing-outer@70s');
    expect(events).toEqual([
      { type: 'fault', kind: 'imbalance', at: 20, duration: undefined, severity: 0.8 },
      { type: 'fault', kind: 'looseness', at: 60, duration: 30, severity: DEFAULT_SEVERITY },
      { type: 'clear', at: 70 },
      { type: 'fault', kind: 'bearing-outer', at: 70, duration: undefined, severity: DEFAULT_SEVERITY },
    ]);
    // clear@70s ends imbalance; looseness already ended at 90s > 70s, so it ends at 70 too; the bearing fault
    // starting at the same instant survives.
    expect(resolveSchedule(events)).toEqual([
      { kind: 'imbalance', start: 20, end: 70, severity: 0.8 },
      { kind: 'looseness', start: 60, end: 70, severity: DEFAULT_SEVERITY },
      { kind: 'bearing-outer', start: 70, end: Number.POSITIVE_INFINITY, severity: DEFAULT_SEVERITY },
    ]);
  });

  it('drops a fault cleared before it starts and keeps one that starts after the clear', () => {
    const intervals = resolveSchedule(parseSchedule('clear@5s,misalignment@10s'));
    expect(intervals).toEqual([
      { kind: 'misalignment', start: 10, end: Number.POSITIVE_INFINITY, severity: DEFAULT_SEVERITY },
    ]);
  });

  it.each([
    ['wobble@10s', /unknown fault 'wobble'/],
    ['imbalance', /expected <fault>@<time>/],
    ['imbalance@10s:1.5', /severity '1.5' must be a number from 0 to 1/],
    ['imbalance@later', /is not a time/],
    ['clear@10s:0.5', /clear takes only a time/],
  ])('rejects %s', (text, message) => {
    expect(() => parseSchedule(text)).toThrow(message);
  });

  it('describes intervals compactly', () => {
    expect(describeSchedule(resolveSchedule(parseSchedule('imbalance@20s+40s:0.8,looseness@90s')))).toBe(
      'imbalance@20s+40s:0.8,looseness@1m30s:0.5',
    );
    expect(describeSchedule([])).toBe('healthy');
  });
});

describe('eventsFromFlags', () => {
  it('pairs repeated flags by position', () => {
    const events = eventsFromFlags({
      fault: ['imbalance', 'bearing-inner'],
      at: ['10s', '20s'],
      severity: ['0.3', '0.9'],
      duration: [],
    });
    expect(events).toEqual([
      { type: 'fault', kind: 'imbalance', at: 10, duration: undefined, severity: 0.3 },
      { type: 'fault', kind: 'bearing-inner', at: 20, duration: undefined, severity: 0.9 },
    ]);
  });

  it('applies a flag given once to every fault and defaults --at to 0', () => {
    const events = eventsFromFlags({ ...noFlags, fault: ['imbalance', 'looseness'], duration: ['5s'] });
    expect(events.map((e) => e.type === 'fault' && [e.at, e.duration])).toEqual([
      [0, 5],
      [0, 5],
    ]);
  });

  it('rejects mismatched counts and stray flags', () => {
    expect(() =>
      eventsFromFlags({ ...noFlags, fault: ['imbalance', 'looseness', 'misalignment'], at: ['1s', '2s'] }),
    ).toThrow(/--at was given 2 times for 3 --fault flags/);
    expect(() => eventsFromFlags({ ...noFlags, at: ['1s'] })).toThrow(/--at needs a --fault/);
    expect(eventsFromFlags(noFlags)).toEqual([]);
  });
});
