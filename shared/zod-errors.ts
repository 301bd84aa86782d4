// Turns a ZodError into one-line messages a user can act on: the setting's path, what is expected (read from
// the schema when it is given, so `z.number().int().positive()` reads "a positive integer"), and what was
// found. Used by the config loader and the bundle reader.
import type { z } from 'zod';
import { ThrumError, type ThrumErrorCode } from './errors.js';
import { quote } from './printable.js';

export interface ZodErrorContext {
  /** Prefix of every message, e.g. `thrum.yaml` or `bundle/manifest.json`. */
  file?: string;
  /** The value that was parsed; lets messages show what was found at the path. */
  input?: unknown;
  /** The schema that was used; lets messages say what is expected in words. */
  schema?: z.ZodType;
}

type Path = readonly PropertyKey[];
interface Def {
  type: string;
  [key: string]: unknown;
}
type Schema = { _zod: { def: Def } };
type Issue = z.core.$ZodIssue;

const MISSING = Symbol('missing');
const UNKNOWN = Symbol('unknown');

/** `serial.baudRate`, `files.int8.sha256`, `channelNames[2]`; the empty path is "(top level)". */
export function formatZodPath(path: Path): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$-]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${quote(String(key))}]`;
  }
  return out || '(top level)';
}

/** One line per problem, e.g. `thrum.yaml: serial.baudRate: expected a positive integer, got "fast"`. */
export function zodIssueMessages(error: z.ZodError, ctx: ZodErrorContext = {}): string[] {
  const prefix = ctx.file ? `${ctx.file}: ` : '';
  return error.issues.flatMap((issue) => issueMessages(issue, ctx).map((m) => prefix + m));
}

/** All problems on one line (for a CLI's exit-2 reason), at most `max` of them. */
export function zodErrorMessage(error: z.ZodError, ctx: ZodErrorContext = {}, max = 3): string {
  const lines = zodIssueMessages(error, ctx);
  const shown = lines.slice(0, max).join('; ');
  return lines.length > max ? `${shown} (and ${lines.length - max} more)` : shown;
}

/**
 * Parses `input` with `schema`, or throws a ThrumError whose message names the file, the path, what is
 * expected and `hint` (what to do about it), e.g. "fix the value and start again".
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  opts: { file?: string; code: ThrumErrorCode; hint?: string },
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const message = zodErrorMessage(result.error, { file: opts.file, input, schema });
  throw new ThrumError(opts.code, opts.hint ? `${message}; ${opts.hint}` : message, { cause: result.error });
}

function issueMessages(issue: Issue, ctx: ZodErrorContext): string[] {
  const at = formatZodPath(issue.path);
  const found = valueAt(issue, ctx.input);
  const schema = ctx.schema ? schemaAt(ctx.schema as unknown as Schema, issue.path) : undefined;
  if (issue.code === 'unrecognized_keys') {
    const known = schema ? objectKeys(schema) : [];
    return issue.keys.map((key) => {
      const near = closest(key, known);
      return `${at === '(top level)' ? '' : `${at}: `}unknown key ${quote(key)}${near ? ` (did you mean "${near}"?)` : ''}`;
    });
  }
  const missing =
    found === MISSING || (issue.code === 'invalid_type' && /received undefined$/.test(issue.message));
  const words = schema ? describe(schema) : undefined;
  // A message written into the schema (`.regex(re, 'expected 64 hex characters')`, a refine) beats ours.
  const custom = /^(Invalid|Too (small|big)|Unrecognized)/.test(issue.message) ? undefined : issue.message;
  if (missing) return [`${at}: missing; expected ${words ?? fallback(issue)}`];
  const got = typeof found === 'symbol' || found === undefined ? '' : `, got ${showValue(found)}`;
  if (custom) return [`${at}: ${custom}${got}`];
  return [`${at}: expected ${words ?? fallback(issue)}${got}`];
}

const TYPE_WORDS: Record<string, string> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object (key: value mapping)',
  array: 'a list',
};

/** What zod itself says is expected, when the schema is not at hand. */
function fallback(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return TYPE_WORDS[issue.expected] ?? `a value of type ${issue.expected}`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message.replace(/^(Invalid input|Too small|Too big): expected /, '');
  }
}

/** "a positive integer", "one of "csv", "frames"", "a list of numbers with at least 2 items"... */
export function describeSchema(schema: z.ZodType): string | undefined {
  return describe(schema as unknown as Schema);
}

function describe(schema: Schema): string | undefined {
  const def = unwrap(schema)._zod.def;
  const checks = ((def.checks as Schema[] | undefined) ?? []).map((c) => c._zod.def);
  switch (def.type) {
    case 'number':
    case 'int':
      return describeNumber(checks, def.type === 'int');
    case 'string':
      return describeString(checks, def);
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${Object.values(def.entries as Record<string, unknown>)
        .map((v) => JSON.stringify(v))
        .join(', ')}`;
    case 'literal':
      return (def.values as unknown[]).map((v) => JSON.stringify(v)).join(' or ');
    case 'array': {
      const element = describe(def.element as Schema);
      const min = checks.find((c) => c.check === 'min_length')?.minimum as number | undefined;
      const list = element ? `a list of ${plural(element)}` : 'a list';
      return min ? `${list} with at least ${min} item${min === 1 ? '' : 's'}` : list;
    }
    case 'object':
    case 'record':
      return 'an object (key: value mapping)';
    case 'union': {
      const parts = (def.options as Schema[]).map(describe);
      return parts.every(Boolean) ? parts.join(' or ') : undefined;
    }
    default:
      return undefined;
  }
}

function describeNumber(checks: Def[], int: boolean): string {
  let isInt = int;
  let lower: { value: number; inclusive: boolean } | undefined;
  let upper: { value: number; inclusive: boolean } | undefined;
  for (const c of checks) {
    if (c.check === 'number_format' && /int/.test(String(c.format))) isInt = true;
    if (c.check === 'greater_than') lower = { value: c.value as number, inclusive: c.inclusive as boolean };
    if (c.check === 'less_than') upper = { value: c.value as number, inclusive: c.inclusive as boolean };
  }
  const noun = isInt ? 'integer' : 'number';
  if (lower?.value === 0 && !upper) return lower.inclusive ? `a non-negative ${noun}` : `a positive ${noun}`;
  const bounds = [
    lower && `${lower.inclusive ? '>=' : '>'} ${lower.value}`,
    upper && `${upper.inclusive ? '<=' : '<'} ${upper.value}`,
  ].filter(Boolean);
  if (lower?.inclusive && upper?.inclusive)
    return `${isInt ? 'an integer' : 'a number'} from ${lower.value} to ${upper.value}`;
  return `${isInt ? 'an integer' : 'a number'}${bounds.length ? ` ${bounds.join(' and ')}` : ''}`;
}

function describeString(checks: Def[], def: Def): string {
  if (def.format === 'datetime' || checks.some((c) => c.format === 'datetime')) {
    return 'an ISO 8601 date-time such as "2025-01-31T12:00:00Z"';
  }
  const min = checks.find((c) => c.check === 'min_length')?.minimum as number | undefined;
  return min === 1 ? 'a non-empty string' : min ? `a string of at least ${min} characters` : 'a string';
}

function plural(words: string): string {
  const m = /^an? (.*)$/.exec(words);
  if (!m) return words;
  const noun = m[1]!;
  if (/^(positive|non-negative|non-empty)? ?(integer|number|string)$/.test(noun)) return `${noun}s`;
  return `values that are ${words}`;
}

/** Follows the path into the schema, through optional/default/nullable/pipe wrappers. */
function schemaAt(root: Schema, path: Path): Schema | undefined {
  let node: Schema | undefined = root;
  for (const key of path) {
    if (!node) return undefined;
    const def: Def = unwrap(node)._zod.def;
    if (def.type === 'object') {
      const shape = def.shape as Record<string, Schema>;
      node = shape[String(key)] ?? (def.catchall as Schema | undefined);
    } else if (def.type === 'array') node = def.element as Schema;
    else if (def.type === 'record') node = def.valueType as Schema;
    else if (def.type === 'tuple') node = (def.items as Schema[])[Number(key)];
    else return undefined;
  }
  return node;
}

function unwrap(schema: Schema): Schema {
  let node = schema;
  for (;;) {
    const def = node._zod.def;
    if (
      ['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional'].includes(def.type)
    ) {
      node = def.innerType as Schema;
    } else if (def.type === 'pipe') node = def.in as Schema;
    else if (def.type === 'lazy') node = (def.getter as () => Schema)();
    else return node;
  }
}

function objectKeys(schema: Schema): string[] {
  const def = unwrap(schema)._zod.def;
  return def.type === 'object' ? Object.keys(def.shape as object) : [];
}

function valueAt(issue: Issue, input: unknown): unknown {
  if ('input' in issue && issue.input !== undefined) return issue.input;
  if (input === undefined) return UNKNOWN;
  let node: unknown = input;
  for (const key of issue.path) {
    if (node === null || typeof node !== 'object' || !(key in node)) return MISSING;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function showValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length} items`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'bigint') return `${value}`;
  if (typeof value === 'string') return quote(value);
  return JSON.stringify(value) ?? String(value);
}

/** The known key nearest to a misspelt one (case-insensitive equal, or at most 2 edits apart). */
function closest(key: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    // More than 2 edits apart anyway; also keeps a megabyte-long key from costing seconds.
    if (Math.abs(candidate.length - key.length) > 2) continue;
    const d = candidate.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
