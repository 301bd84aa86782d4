import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ThrumError } from '../../../../shared/errors.js';
import { topicIdProblem, topicIdSchema, topicPrefixProblem } from '../../../../shared/mqtt/topic-ids.js';
import {
  alertTopic,
  DEFAULT_TOPIC_PREFIX,
  evictedTopic,
  healthTopic,
  parseTopic,
  SENSOR_TOPIC_KINDS,
  scoreTopic,
  sharedSubscription,
  statusTopic,
  topicFilter,
} from '../../../../shared/mqtt/topics.js';

describe('topic builders', () => {
  it('build the topics of DESIGN.md under the prefix', () => {
    expect(statusTopic('thrum', 'pi-7')).toBe('thrum/pi-7/status');
    expect(healthTopic('thrum', 'pi-7')).toBe('thrum/pi-7/health');
    expect(alertTopic('thrum', 'pi-7', 'fan')).toBe('thrum/pi-7/fan/alert');
    expect(scoreTopic('thrum', 'pi-7', 'fan')).toBe('thrum/pi-7/fan/score');
    expect(evictedTopic('thrum', 'pi-7', 'fan')).toBe('thrum/pi-7/fan/evicted');
    expect(alertTopic('plant-a/line-2', 'pi-7', '0')).toBe('plant-a/line-2/pi-7/0/alert');
    expect(DEFAULT_TOPIC_PREFIX).toBe('thrum');
  });

  it.each([
    ['a/b', '"/"'],
    ['a+', '"+"'],
    ['#', '"#"'],
    ['', 'empty'],
    ['a\0b', 'NUL'],
    [' pi', 'whitespace'],
  ])('refuse the id %j with a BAD_CONFIG error that says why (%s)', (id, why) => {
    expect(topicIdProblem(id)).toContain(why);
    let caught: unknown;
    try {
      alertTopic('thrum', id, 's');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ThrumError);
    expect((caught as ThrumError).code).toBe('BAD_CONFIG');
    expect((caught as ThrumError).message).toContain(`deviceId ${JSON.stringify(id)}`);
    expect(() => scoreTopic('thrum', 'pi', id)).toThrow(/sensorId/);
  });

  it('refuse a bad prefix', () => {
    for (const prefix of ['', '/thrum', 'thrum/', 'a//b', '$SYS', 'th+rum', 'a/#']) {
      expect(topicPrefixProblem(prefix), prefix).toBeDefined();
      expect(() => statusTopic(prefix, 'pi'), prefix).toThrow(/mqtt\.topicPrefix/);
    }
    expect(topicPrefixProblem('plant-a/thrum')).toBeUndefined();
  });

  it('offer a zod schema for ids in config files', () => {
    expect(topicIdSchema.safeParse('pi-7').success).toBe(true);
    const r = topicIdSchema.safeParse('pi/7');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/must not contain "\/"/);
  });
});

describe('parseTopic', () => {
  it('reads device and sensor topics', () => {
    expect(parseTopic('thrum/pi-7/status')).toEqual({ deviceId: 'pi-7', kind: 'status' });
    expect(parseTopic('thrum/pi-7/health')).toEqual({ deviceId: 'pi-7', kind: 'health' });
    expect(parseTopic('thrum/pi-7/fan/alert')).toEqual({ deviceId: 'pi-7', sensorId: 'fan', kind: 'alert' });
    expect(parseTopic('thrum/pi-7/fan/evicted')).toEqual({
      deviceId: 'pi-7',
      sensorId: 'fan',
      kind: 'evicted',
    });
    expect(parseTopic('plant/a/pi/0/score', 'plant/a')).toEqual({
      deviceId: 'pi',
      sensorId: '0',
      kind: 'score',
    });
  });

  it('returns undefined for anything that is not a thrum topic', () => {
    for (const topic of [
      'other/pi/status',
      'thrum/pi',
      'thrum/pi/fan/status',
      'thrum/pi/alert',
      'thrum/pi/fan/alert/extra',
      'thrum//fan/alert',
      'thrumx/pi/status',
      '$SYS/broker/uptime',
    ]) {
      expect(parseTopic(topic), topic).toBeUndefined();
    }
    expect(parseTopic('thrum/pi/fan/alert', 'plant')).toBeUndefined();
  });

  it('inverts every builder (property)', () => {
    const id = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,16}$/);
    const prefix = fc.array(id, { minLength: 1, maxLength: 3 }).map((levels) => levels.join('/'));
    fc.assert(
      fc.property(prefix, id, id, fc.constantFrom(...SENSOR_TOPIC_KINDS), (p, deviceId, sensorId, kind) => {
        expect(parseTopic(topicFilter(p, kind, { deviceId, sensorId }), p)).toEqual({
          deviceId,
          sensorId,
          kind,
        });
        expect(parseTopic(statusTopic(p, deviceId), p)).toEqual({ deviceId, kind: 'status' });
      }),
    );
  });
});

describe('subscription filters', () => {
  it('match all devices and sensors unless ids are given', () => {
    expect(topicFilter('thrum', 'alert')).toBe('thrum/+/+/alert');
    expect(topicFilter('thrum', 'alert', { deviceId: 'pi-7' })).toBe('thrum/pi-7/+/alert');
    expect(topicFilter('thrum', 'status')).toBe('thrum/+/status');
    expect(topicFilter('thrum', 'evicted', { sensorId: 'fan' })).toBe('thrum/+/fan/evicted');
  });

  it('build MQTT 5 shared subscriptions', () => {
    expect(sharedSubscription('collectors', topicFilter('thrum', 'alert'))).toBe(
      '$share/collectors/thrum/+/+/alert',
    );
    expect(() => sharedSubscription('a/b', 'thrum/#')).toThrow(/share group/);
  });
});
