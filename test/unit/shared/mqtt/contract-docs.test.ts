import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONTRACT_VERSION,
  DEVICE_TOPIC_KINDS,
  MQTT_CONTRACT,
  SENSOR_TOPIC_KINDS,
  type TopicKind,
} from '../../../../shared/mqtt/contract.js';

// docs/mqtt.md is the contract for people; shared/mqtt/contract.ts the same contract for the compiler. This
// keeps them one: every kind's row (topic, QoS, retain), every payload field, and the version.

const doc = readFileSync(resolve(import.meta.dirname, '../../../../docs/mqtt.md'), 'utf8');
const KINDS: TopicKind[] = [...DEVICE_TOPIC_KINDS, ...SENSOR_TOPIC_KINDS];
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The text under `### \`kind\`` up to the next heading. */
function section(kind: TopicKind): string {
  const heading = `### \`${kind}\`\n`;
  const start = doc.indexOf(heading);
  if (start < 0) return '';
  const rest = doc.slice(start + heading.length);
  const end = rest.search(/^#{1,3} /m);
  return end < 0 ? rest : rest.slice(0, end);
}

/** Field names of a section's table: the first cell of each row, in backticks. */
const documentedFields = (text: string) => [...text.matchAll(/^\|\s*`(\w+)`\s*\|/gm)].map((m) => m[1]!);

describe('docs/mqtt.md', () => {
  it('states the contract version', () => {
    expect(doc).toContain(`**Contract version ${CONTRACT_VERSION}.**`);
  });

  it.each(KINDS)('lists %s with the topic, QoS and retain flag of the contract', (kind) => {
    const { pattern, qos, retain } = MQTT_CONTRACT[kind];
    const row = new RegExp(
      `^\\|\\s*\`${kind}\`\\s*\\|\\s*\`${escapeRegExp(pattern)}\`\\s*\\|\\s*(\\d)\\s*\\|\\s*(yes|no)\\s*\\|`,
      'm',
    ).exec(doc);
    expect(row, `no topics-table row for ${kind} with ${pattern}`).not.toBeNull();
    expect({ qos: Number(row![1]), retain: row![2] === 'yes' }).toEqual({ qos, retain });
  });

  it.each(KINDS)('documents exactly the fields of the %s payload', (kind) => {
    const fields = Object.keys(MQTT_CONTRACT[kind].schema.shape);
    expect(documentedFields(section(kind)).sort()).toEqual(fields.sort());
  });

  it('would notice a missing field (the check can fail)', () => {
    expect(documentedFields('| `a` | x |\n| b | y |\n|  `c`  | z |')).toEqual(['a', 'c']);
    expect(section('alert')).toContain('`alertId`');
    expect(section('alert')).not.toContain('`evictionId`');
  });
});
