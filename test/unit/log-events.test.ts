import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SOURCE_STATE_EVENTS } from '../../device/source/sensor-source.js';
import { repoRoot, sourceFiles } from '../helpers/source-files.js';

// Log events are an interface (tests, scripts and operators match on them), so docs/logging.md lists each one:
// every `event: '...'` in the source tree must be there, and every event listed there must still be emitted.

const root = repoRoot;
const SOURCE_DIRS = ['bench', 'cli', 'device', 'eval', 'runtime', 'scripts', 'shared', 'tools', 'trainer'];
const NAME = /^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)+$/;

/** `event: 'a.b'` literals in a source text. */
const eventLiterals = (text: string) => [...text.matchAll(/\bevent:\s*'([^']*)'/g)].map((m) => m[1]!);
/** The first cell of each table row, in backticks: the documented event names. */
const documented = (text: string) => [...text.matchAll(/^\|\s*`([a-z0-9.-]+)`\s*\|/gm)].map((m) => m[1]!);

const files = SOURCE_DIRS.flatMap(sourceFiles);
const texts = files.map((f) => readFileSync(join(root, f), 'utf8'));
const inCode = new Set([...texts.flatMap(eventLiterals), ...Object.values(SOURCE_STATE_EVENTS)]);
const doc = readFileSync(join(root, 'docs/logging.md'), 'utf8');
const listed = documented(doc);

describe('log events', () => {
  it('finds the events it checks', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(inCode.has('source.reconnecting')).toBe(true);
    expect(inCode.has('publish.rejected')).toBe(true);
  });

  it('are dotted lowercase names', () => {
    expect([...inCode].filter((e) => !NAME.test(e))).toEqual([]);
  });

  it('are each listed once in docs/logging.md', () => {
    expect([...inCode].filter((e) => !listed.includes(e)).sort()).toEqual([]);
    expect(listed.filter((e, i) => listed.indexOf(e) !== i)).toEqual([]);
  });

  it('listed in docs/logging.md are still emitted somewhere', () => {
    expect(listed.filter((e) => !texts.some((t) => t.includes(`'${e}'`)))).toEqual([]);
  });

  it('would notice an undocumented or misnamed event (the check can fail)', () => {
    expect(eventLiterals("log.warn({ event: 'a.b', x }, 'm'); log.info({event:'Bad Name'})")).toEqual([
      'a.b',
      'Bad Name',
    ]);
    expect(NAME.test('Bad Name')).toBe(false);
    expect(documented('| `x.y` | info |\n| z | w |')).toEqual(['x.y']);
  });
});
