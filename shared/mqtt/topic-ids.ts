import { z } from 'zod';
import { ThrumError } from '../errors.js';

/**
 * Why `id` cannot be one level of an MQTT topic, or undefined when it can. `/` would split it into two
 * levels, `+` and `#` are wildcards, NUL is forbidden by MQTT.
 */
export function topicIdProblem(id: string): string | undefined {
  if (id.length === 0) return 'must not be empty';
  const bad = /[/+#\0]/.exec(id);
  if (bad)
    return `must not contain ${bad[0] === '\0' ? 'NUL' : `"${bad[0]}"`} (MQTT topic separators and wildcards: / + #)`;
  if (id.trim() !== id) return 'must not start or end with whitespace';
  return undefined;
}

/** Why `prefix` cannot start thrum's topics (`thrum`, `plant-a/thrum`), or undefined when it can. */
export function topicPrefixProblem(prefix: string): string | undefined {
  if (prefix.startsWith('$')) return 'must not start with "$" (reserved for broker topics such as $SYS)';
  for (const level of prefix.split('/')) {
    if (level.length === 0) return 'must not be empty, start or end with "/", or contain "//"';
    const problem = topicIdProblem(level);
    if (problem) return problem;
  }
  return undefined;
}

/** A device or sensor id usable as one topic level; for config schemas. */
export const topicIdSchema = z.string().superRefine((id, ctx) => {
  const problem = topicIdProblem(id);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const topicPrefixSchema = z.string().superRefine((prefix, ctx) => {
  const problem = topicPrefixProblem(prefix);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Returns `id`, or throws BAD_CONFIG naming `what` (e.g. `device.id`) and the problem. */
export function checkTopicId(what: string, id: string): string {
  const problem = topicIdProblem(id);
  if (problem)
    throw new ThrumError('BAD_CONFIG', `${what} ${JSON.stringify(id)} ${problem}: choose another id`);
  return id;
}

export function checkTopicPrefix(prefix: string): string {
  const problem = topicPrefixProblem(prefix);
  if (problem) {
    throw new ThrumError(
      'BAD_CONFIG',
      `mqtt.topicPrefix ${JSON.stringify(prefix)} ${problem}: choose another prefix`,
    );
  }
  return prefix;
}
