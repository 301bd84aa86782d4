import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadConfig } from '../../../device/config/load-config.js';
import { preflight } from '../../../device/config/preflight.js';
import { runToken } from '../../../scripts/process/run-token.js';
import { ThrumError } from '../../../shared/errors.js';
import { runThrumAsync, STACK_LINE } from '../../helpers/thrum-cli.js';
import { FUZZ_RUNS, LINE_BREAK, MAX_MESSAGE_CHARS, SPAWNED_CASES } from './fuzz-runs.js';

// Config fuzzer (#13): thrum.yaml built from the schema's own keys with hostile values (wrong types, huge
// numbers and strings, odd unicode, deep nesting), random YAML text, and byte mutations of a valid file.
// loadConfig (and the start-up preflight on what it accepts) must accept or throw a ThrumError whose message
// is one line; never another error, never a stack. A sample also goes through the real `thrum run`.

const root = mkdtempSync(join(tmpdir(), `thrum-config-fuzz-${runToken()}-`));
let counter = 0;

beforeAll(() => {
  mkdirSync(join(root, 'bundle'));
  mkdirSync(join(root, 'adir'));
  writeFileSync(join(root, 'secret.txt'), 'pw\n', { mode: 0o600 });
  writeFileSync(join(root, 'loose.txt'), 'pw\n', { mode: 0o644 });
  writeFileSync(join(root, 'not-pem.txt'), 'hello\n');
  execFileSync('mkfifo', [join(root, 'fifo')]);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const VALID = {
  device: { id: 'pump-7' },
  serial: { path: '/dev/ttyUSB0', baudRate: 921600, channels: 3, sampleRate: 800 },
  model: { bundle: 'bundle' },
  mqtt: { url: 'mqtt://localhost:1883' },
  outbox: { path: 'outbox.db' },
};

/** Every key of the schema, per section: the fuzzer aims at real keys most of the time. */
const KEYS: Record<string, string[]> = {
  device: ['id'],
  serial: [
    'source',
    'path',
    'baudRate',
    'format',
    'csvTimestamp',
    'channels',
    'sampleRate',
    'sensorId',
    'silenceTimeoutMs',
    'realtime',
  ],
  model: ['bundle', 'variant'],
  detector: ['k', 'n', 'clearRatio', 'clearPeakRatio', 'minClearWindows', 'cooldownWindows', 'threshold'],
  mqtt: [
    'url',
    'protocolVersion',
    'clientId',
    'username',
    'password',
    'passwordFile',
    'ca',
    'cert',
    'key',
    'rejectUnauthorized',
    'topicPrefix',
    'keepalive',
    'connectTimeoutMs',
    'reconnectPeriodMs',
    'reconnectMaxMs',
    'historicalAfterMs',
  ],
  outbox: ['path', 'maxBytes', 'maxAgeDays', 'replayRatePerSec', 'ramBufferMax'],
  inference: ['maxBatch', 'maxDelayMs', 'maxQueue'],
  score: ['intervalMs'],
  health: ['intervalMs'],
  shutdown: ['deadlineMs'],
  log: ['level'],
};
const SECTIONS = Object.keys(KEYS);

/** Paths that exist in the fuzz dir, and system files that are no regular file. */
const PATHS = [
  'bundle',
  'adir',
  '.',
  '..',
  'secret.txt',
  'loose.txt',
  'not-pem.txt',
  'fifo',
  '/dev/zero',
  '/dev/null',
  '/',
  '/proc/self/mem',
  'a\u0000b',
  'nope/x.db',
];

const nested = (depth: number, leaf: unknown): unknown => {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? { k: v } : [v];
  return v;
};

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -0,
    -1,
    1,
    0.5,
    1e308,
    -1e308,
    2 ** 53 + 2,
    2 ** 31,
    65535,
    65536,
    '',
    ' ',
    'auto',
    'csv',
    't_us',
    '5',
    'x'.repeat(70_000),
  ),
  fc.constantFrom(...PATHS),
  fc.constantFrom(
    'mqtt://u:pw@h',
    'mqtt://h:99999',
    'mqtt://h:0',
    'mqtts://[::1]:8883',
    'ws://h/x?clientId=a',
    'mqtt://h x',
    'tcp://h:1',
    'mqtt://:1',
  ),
  fc.double(),
  fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom(
      '\u0000',
      '\u0001',
      '\u007f',
      '\u0085',
      '\u2028',
      '\ufeff',
      '\uffff',
      '\ud800',
      '/',
      '+',
      '#',
      ' ',
      '\n',
      'a',
      'é',
      '$',
    ),
    maxLength: 20,
  }),
  fc.array(fc.oneof(fc.double(), fc.string({ maxLength: 5 })), { maxLength: 30 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc
    .tuple(fc.integer({ min: 1, max: 300 }), fc.jsonValue({ maxDepth: 1 }))
    .map(([d, leaf]) => nested(d, leaf)),
);

type Doc = Record<string, unknown>;

/** One edit of the valid document: a key of the schema (or an unknown one) set, removed or replaced. */
const editArb: fc.Arbitrary<(doc: Doc) => void> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.constantFrom(...SECTIONS), fc.nat(), hostileValue)
      .map(([section, i, value]) => (doc: Doc) => {
        const keys = KEYS[section]!;
        const current = doc[section];
        const obj =
          current !== null && typeof current === 'object' && !Array.isArray(current) ? (current as Doc) : {};
        doc[section] = { ...obj, [keys[i % keys.length]!]: value };
      }),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom(...SECTIONS), hostileValue).map(([s, v]) => (doc: Doc) => {
      doc[s] = v;
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom(...SECTIONS).map((s) => (doc: Doc) => void delete doc[s]) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.oneof(fc.constantFrom(...SECTIONS), fc.string({ unit: 'binary', maxLength: 20 })),
        fc.string({ unit: 'binary', maxLength: 20 }),
        hostileValue,
      )
      .map(([s, k, v]) => (doc: Doc) => {
        const current = doc[s];
        doc[s] = { ...(current !== null && typeof current === 'object' ? (current as Doc) : {}), [k]: v };
      }),
  },
);

const structuredText = fc.array(editArb, { minLength: 1, maxLength: 4 }).map((edits) => {
  const doc = structuredClone(VALID) as Doc;
  for (const edit of edits) edit(doc);
  try {
    return stringify(doc, { aliasDuplicateObjects: false });
  } catch {
    return JSON.stringify(doc) ?? '';
  }
});

/** YAML-ish text from the characters and tokens that make YAML parsers work hardest. */
const TOKENS = [
  '{',
  '}',
  '[',
  ']',
  ':',
  ': ',
  '- ',
  ',',
  '&a ',
  '*a',
  '&b ',
  '*b',
  '!!str ',
  '!!binary ',
  '!!set ',
  '!!map ',
  '!foo ',
  '"',
  "'",
  '\n',
  '\n  ',
  '  ',
  '\t',
  '#',
  '---\n',
  '...\n',
  '? ',
  '|',
  '>',
  '%YAML 1.1\n',
  '%TAG ! tag:x,2000:\n',
  '<<: ',
  'device',
  'mqtt',
  'url',
  'id',
  '\\',
  '\u0000',
  '\ufeff',
  '\u2028',
  '1e999',
  '.nan',
  '0x1F',
  '~',
  'null',
  'true',
];
const randomText = fc
  .array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ unit: 'binary', maxLength: 6 })), { maxLength: 80 })
  .map((parts) => parts.join(''));

/** A valid file with characters inserted, deleted or replaced. */
const mutatedText = fc
  .tuple(
    fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 })), {
      minLength: 1,
      maxLength: 6,
    }),
  )
  .map(([edits]) => {
    let text = stringify(VALID);
    for (const [at, op, s] of edits) {
      const i = at % (text.length + 1);
      if (op === 0) text = text.slice(0, i) + s + text.slice(i);
      else if (op === 1) text = text.slice(0, i) + text.slice(i + s.length);
      else text = text.slice(0, i) + s + text.slice(i + s.length);
    }
    return text;
  });

/**
 * A billion-laughs bomb, deep flow nesting, many keys: the resource-exhaustion shapes, sized at random (small:
 * the full-size ones are in test/unit/device/config/load-config.test.ts).
 */
const bombText = fc.oneof(
  fc.integer({ min: 2, max: 9 }).map((n) => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < n; i++)
      lines.push(
        `a${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    return lines.join('\n');
  }),
  fc.integer({ min: 1, max: 200 }).map((d) => `device: ${'['.repeat(d)}${']'.repeat(d)}`),
  fc
    .integer({ min: 1, max: 400 })
    .map((n) => Array.from({ length: n }, (_, i) => `k${i % 297}: ${i}`).join('\n')),
);

const configText = fc.oneof(
  { weight: 6, arbitrary: structuredText },
  { weight: 2, arbitrary: randomText },
  { weight: 2, arbitrary: mutatedText },
  { weight: 1, arbitrary: bombText },
);

function writeCase(text: string): string {
  const file = join(root, `case-${counter++}.yaml`);
  writeFileSync(file, text);
  return file;
}

/** loadConfig and preflight on the file: undefined when accepted, else the ThrumError (anything else fails). */
function check(file: string): ThrumError | undefined {
  try {
    preflight(loadConfig(file, {}));
    return undefined;
  } catch (err) {
    if (!(err instanceof ThrumError)) {
      throw new Error(`not a ThrumError: ${(err as Error)?.stack ?? String(err)}`);
    }
    expect(err.exitCode, err.message).toBe(2);
    expect(err.message, JSON.stringify(err.message)).not.toMatch(LINE_BREAK);
    expect(err.message.length, err.message.slice(0, 300)).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(err.message).not.toMatch(STACK_LINE);
    return err;
  }
}

describe('config fuzzer', () => {
  it(`loadConfig accepts or refuses with one line (${FUZZ_RUNS} cases)`, () => {
    let refused = 0;
    let accepted = 0;
    fc.assert(
      fc.property(configText, (text) => {
        const file = writeCase(text);
        try {
          if (check(file)) refused++;
          else accepted++;
        } finally {
          rmSync(file, { force: true });
        }
      }),
      {
        numRuns: FUZZ_RUNS,
        seed: process.env.THRUM_FUZZ_SEED ? Number(process.env.THRUM_FUZZ_SEED) : undefined,
      },
    );
    console.log(`config fuzzer: ${FUZZ_RUNS} cases, ${accepted} accepted, ${refused} refused with one line`);
    expect(accepted + refused).toBe(FUZZ_RUNS);
    // Both outcomes occur, or the generators have gone blind.
    expect(accepted).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(FUZZ_RUNS / 2);
  }, 600_000);

  it(`thrum run --check-config exits 2 with one stderr line and no stack (${SPAWNED_CASES} cases through the process)`, async () => {
    const texts = fc.sample(configText, { numRuns: SPAWNED_CASES, seed: 13 });
    for (const text of texts) {
      const file = writeCase(text);
      // Whatever loadConfig says, the empty bundle directory makes a pass impossible: every case exits 2.
      const r = await runThrumAsync(['run', '--config', file, '--check-config'], {}, 60_000);
      const shown = `${JSON.stringify(text.slice(0, 300))}\nexit ${r.code}\n${r.stderr}`;
      expect(r.code, shown).toBe(2);
      expect(r.stderr.trimEnd().split('\n'), shown).toHaveLength(1);
      expect(r.stderr, shown).toMatch(/^thrum: /);
      expect(r.stderr + r.stdout, shown).not.toMatch(STACK_LINE);
    }
  }, 600_000);
});
