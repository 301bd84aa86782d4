import { z } from 'zod';
import { ThrumError } from '../errors.js';
import { quote } from '../printable.js';

// What MQTT really lets through, checked where ids are configured. A broker drops the whole CONNECT when the
// client id, user name or Last Will topic breaks the UTF-8 string rules of MQTT 5 section 1.5.4 (mosquitto
// closes the socket without a CONNACK), so an id that passes here must be one every broker takes.

/** Longest device id, sensor id or prefix level, in UTF-8 bytes (MQTT guarantees client ids of 23 only). */
export const MAX_ID_BYTES = 64;
/** Longest topic prefix in UTF-8 bytes; with ids of 64 bytes every topic stays far below MQTT's 65535. */
export const MAX_PREFIX_BYTES = 256;
/** Longest client id and user name, in UTF-8 bytes. */
export const MAX_CLIENT_ID_BYTES = 128;

const utf8 = new TextEncoder();
export const utf8Bytes = (s: string): number => utf8.encode(s).length;

/** `U+0007`, the way a message names a character the terminal would not show. */
const codePoint = (c: number): string => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;

/** U+FDD0..U+FDEF and the last two code points of every plane (U+FFFE, U+FFFF, U+1FFFE, ...). */
const isNoncharacter = (c: number): boolean => (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) === 0xfffe;

/**
 * Why `s` is not an MQTT UTF-8 string a broker accepts, or undefined: no U+0000, no control characters
 * (U+0001..U+001F, U+007F..U+009F), no noncharacters, no lone surrogate (it has no UTF-8 encoding).
 */
export function mqttStringProblem(s: string): string | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s.codePointAt(i)!;
    if (c > 0xffff) {
      if (isNoncharacter(c)) return `must not contain the noncharacter ${codePoint(c)}`;
      i++;
      continue;
    }
    if (c === 0) return 'must not contain NUL (U+0000)';
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return `must not contain the control character ${codePoint(c)}`;
    if (c >= 0xd800 && c <= 0xdfff) return `must not contain a lone surrogate ${codePoint(c)} (not UTF-8)`;
    if (isNoncharacter(c)) return `must not contain the noncharacter ${codePoint(c)}`;
  }
  return undefined;
}

/**
 * Why `id` cannot be one level of an MQTT topic, or undefined when it can: `/` would split it into two
 * levels, `+` and `#` are wildcards; whitespace would make every `mosquitto_sub -t` need quoting and is
 * usually a typo; and the MQTT string rules above.
 */
export function topicIdProblem(id: string): string | undefined {
  if (id.length === 0) return 'must not be empty';
  // Counted only for ids of sensible length: a megabyte-long one needs no exact byte count.
  const bytes = id.length > 4 * MAX_ID_BYTES ? Number.POSITIVE_INFINITY : utf8Bytes(id);
  if (bytes > MAX_ID_BYTES) {
    const size = Number.isFinite(bytes) ? `${bytes} bytes` : `${id.length} characters`;
    return `must be at most ${MAX_ID_BYTES} bytes of UTF-8 (it has ${size})`;
  }
  const bad = /[/+#]/.exec(id);
  if (bad) return `must not contain "${bad[0]}" (MQTT topic separators and wildcards: / + #)`;
  const problem = mqttStringProblem(id);
  if (problem) return problem;
  const space = /\s/u.exec(id);
  if (space) {
    const where =
      id.trim() !== id
        ? 'start or end with whitespace'
        : `contain whitespace (${codePoint(space[0].codePointAt(0)!)})`;
    return `must not ${where}`;
  }
  return undefined;
}

/** Why `prefix` cannot start thrum's topics (`thrum`, `plant-a/thrum`), or undefined when it can. */
export function topicPrefixProblem(prefix: string): string | undefined {
  if (prefix.startsWith('$')) return 'must not start with "$" (reserved for broker topics such as $SYS)';
  if (prefix.length > MAX_PREFIX_BYTES || utf8Bytes(prefix) > MAX_PREFIX_BYTES)
    return `must be at most ${MAX_PREFIX_BYTES} bytes of UTF-8`;
  for (const level of prefix.split('/')) {
    if (level.length === 0) return 'must not be empty, start or end with "/", or contain "//"';
    const problem = topicIdProblem(level);
    if (problem) return problem;
  }
  return undefined;
}

/** Why `s` cannot be an MQTT client id or user name, or undefined: the string rules and a length bound. */
export function clientIdProblem(s: string): string | undefined {
  if (s.length === 0) return 'must not be empty';
  if (s.length > MAX_CLIENT_ID_BYTES || utf8Bytes(s) > MAX_CLIENT_ID_BYTES)
    return `must be at most ${MAX_CLIENT_ID_BYTES} bytes of UTF-8`;
  return mqttStringProblem(s);
}

const refined = (problemOf: (s: string) => string | undefined) =>
  z.string().superRefine((s, ctx) => {
    const problem = problemOf(s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** A device or sensor id usable as one topic level; for config schemas. */
export const topicIdSchema = refined(topicIdProblem);
export const topicPrefixSchema = refined(topicPrefixProblem);
/** An MQTT client id or user name. */
export const clientIdSchema = refined(clientIdProblem);

/** Returns `id`, or throws BAD_CONFIG naming `what` (e.g. `device.id`) and the problem. */
export function checkTopicId(what: string, id: string): string {
  const problem = topicIdProblem(id);
  if (problem) throw new ThrumError('BAD_CONFIG', `${what} ${quote(id)} ${problem}: choose another id`);
  return id;
}

export function checkTopicPrefix(prefix: string): string {
  const problem = topicPrefixProblem(prefix);
  if (problem) {
    throw new ThrumError('BAD_CONFIG', `mqtt.topicPrefix ${quote(prefix)} ${problem}: choose another prefix`);
  }
  return prefix;
}
