import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ThrumError } from '../../../shared/errors.js';
import {
  describeSchema,
  formatZodPath,
  parseOrThrow,
  zodErrorMessage,
  zodIssueMessages,
} from '../../../shared/zod-errors.js';

const config = z.object({
  device: z.object({ id: z.string().min(1) }),
  serial: z
    .object({
      path: z.string().min(1),
      baudRate: z.number().int().positive(),
      format: z.enum(['csv', 'frames']),
      channels: z.number().int().min(1).max(16).default(3),
    })
    .strict(),
  files: z.array(
    z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex characters') }),
  ),
  ratio: z.number().gt(0).max(1).optional(),
  createdAt: z.string().datetime().optional(),
});

function messages(input: unknown, file?: string): string[] {
  const r = config.safeParse(input);
  if (r.success) throw new Error('expected a parse failure');
  return zodIssueMessages(r.error, { file, input, schema: config });
}

const valid = {
  device: { id: 'pi-1' },
  serial: { path: '/dev/ttyUSB0', baudRate: 115200, format: 'csv' },
  files: [{ sha256: 'a'.repeat(64) }],
};

describe('zodIssueMessages', () => {
  it('names the path, what is expected in words, and what was found', () => {
    expect(messages({ ...valid, serial: { ...valid.serial, baudRate: 'fast' } })).toEqual([
      'serial.baudRate: expected a positive integer, got "fast"',
    ]);
  });

  it('prefixes every message with the file name', () => {
    const lines = messages(
      { ...valid, serial: { ...valid.serial, baudRate: -3, format: 'xml' } },
      'thrum.yaml',
    );
    expect(lines).toEqual([
      'thrum.yaml: serial.baudRate: expected a positive integer, got -3',
      'thrum.yaml: serial.format: expected one of "csv", "frames", got "xml"',
    ]);
  });

  it('says "missing" for an absent key', () => {
    expect(messages({ ...valid, device: {} })).toEqual(['device.id: missing; expected a non-empty string']);
    expect(messages({ serial: valid.serial, files: [] })).toEqual([
      'device: missing; expected an object (key: value mapping)',
    ]);
  });

  it('indexes into lists and keeps a message written into the schema', () => {
    expect(messages({ ...valid, files: [{ sha256: 'a'.repeat(64) }, { sha256: 'XYZ' }] })).toEqual([
      'files[1].sha256: expected 64 lowercase hex characters, got "XYZ"',
    ]);
  });

  it('describes bounds of numbers and formats of strings', () => {
    expect(messages({ ...valid, ratio: 0 })).toEqual(['ratio: expected a number > 0 and <= 1, got 0']);
    expect(messages({ ...valid, serial: { ...valid.serial, channels: 99 } })).toEqual([
      'serial.channels: expected an integer from 1 to 16, got 99',
    ]);
    expect(messages({ ...valid, createdAt: 'yesterday' })[0]).toMatch(
      /^createdAt: expected an ISO 8601 date-time such as "2025-01-31T12:00:00Z", got "yesterday"$/,
    );
  });

  it('reports unknown keys with a suggestion for a near miss', () => {
    expect(messages({ ...valid, serial: { ...valid.serial, baudrate: 9600 } })).toEqual([
      'serial: unknown key "baudrate" (did you mean "baudRate"?)',
    ]);
    expect(messages({ ...valid, serial: { ...valid.serial, colour: 'red' } })).toEqual([
      'serial: unknown key "colour"',
    ]);
  });

  it('shows lists, objects and long strings briefly', () => {
    expect(messages({ ...valid, device: { id: [1, 2, 3] } })).toEqual([
      'device.id: expected a non-empty string, got a list of 3 items',
    ]);
    expect(messages({ ...valid, device: { id: { a: 1 } } })).toEqual([
      'device.id: expected a non-empty string, got an object',
    ]);
    const long = messages({ ...valid, serial: { ...valid.serial, format: 'x'.repeat(200) } })[0]!;
    expect(long.length).toBeLessThan(140);
  });

  it('works without schema or input, from zod alone', () => {
    const missing = config.safeParse({ ...valid, device: {} });
    expect(zodIssueMessages(missing.error!)).toEqual(['device.id: missing; expected a string']);
    const r = config.safeParse({ ...valid, serial: { ...valid.serial, baudRate: 'fast' } });
    expect(r.success).toBe(false);
    expect(zodIssueMessages(r.error!)).toEqual(['serial.baudRate: expected a number']);
  });

  it('uses the input zod reports itself (reportInput)', () => {
    const r = config.safeParse(
      { ...valid, serial: { ...valid.serial, baudRate: 'fast' } },
      { reportInput: true },
    );
    expect(zodIssueMessages(r.error!)).toEqual(['serial.baudRate: expected a number, got "fast"']);
  });

  it('names the top level when the whole value is wrong', () => {
    expect(messages([1, 2])).toEqual([
      '(top level): expected an object (key: value mapping), got a list of 2 items',
    ]);
  });
});

describe('zodErrorMessage', () => {
  it('puts at most `max` problems on one line and counts the rest', () => {
    const input = { device: { id: '' }, serial: { path: '', baudRate: 0, format: 'x' }, files: 'none' };
    const r = config.safeParse(input);
    const line = zodErrorMessage(r.error!, { file: 'thrum.yaml', input, schema: config }, 2);
    expect(line).not.toContain('\n');
    expect(line).toMatch(
      /^thrum\.yaml: device\.id: expected a non-empty string, got ""; thrum\.yaml: serial\.path: .* \(and 3 more\)$/,
    );
  });
});

describe('parseOrThrow', () => {
  it('returns the parsed value with defaults applied', () => {
    expect(parseOrThrow(config, valid, { code: 'BAD_CONFIG' }).serial.channels).toBe(3);
  });

  it('throws a ThrumError with the code, the file, the path and the hint', () => {
    const bad = { ...valid, serial: { ...valid.serial, format: 'xml' } };
    let caught: unknown;
    try {
      parseOrThrow(config, bad, { file: 'thrum.yaml', code: 'BAD_CONFIG', hint: 'see docs/config.md' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ThrumError);
    expect((caught as ThrumError).code).toBe('BAD_CONFIG');
    expect((caught as ThrumError).exitCode).toBe(2);
    expect((caught as ThrumError).message).toBe(
      'thrum.yaml: serial.format: expected one of "csv", "frames", got "xml"; see docs/config.md',
    );
  });
});

describe('describeSchema and formatZodPath', () => {
  it('describes common schemas in words', () => {
    expect(describeSchema(z.number().nonnegative())).toBe('a non-negative number');
    expect(describeSchema(z.array(z.number().int().positive()).min(2))).toBe(
      'a list of positive integers with at least 2 items',
    );
    expect(describeSchema(z.literal(1))).toBe('1');
    expect(describeSchema(z.union([z.string(), z.boolean()]))).toBe('a string or true or false');
    expect(describeSchema(z.boolean().default(false))).toBe('true or false');
  });

  it('formats paths like code would address them', () => {
    expect(formatZodPath(['serial', 'baudRate'])).toBe('serial.baudRate');
    expect(formatZodPath(['files', 0, 'path'])).toBe('files[0].path');
    expect(formatZodPath(['labels', 'a b'])).toBe('labels["a b"]');
    expect(formatZodPath([])).toBe('(top level)');
  });
});
