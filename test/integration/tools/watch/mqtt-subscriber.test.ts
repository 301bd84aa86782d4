import mqtt from 'mqtt';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../../../scripts/demo/embedded-broker.js';
import {
  type Subscriber,
  startSubscriber,
  type WatchNotice,
} from '../../../../tools/watch/mqtt-subscriber.js';

// aedes speaks MQTT 3.1.1 only and refuses MQTT 5 in CONNACK: the broker that makes `auto` fall back.
let broker: EmbeddedBroker;
let subscriber: Subscriber | undefined;
beforeEach(async () => {
  broker = await startEmbeddedBroker();
});
afterEach(async () => {
  await subscriber?.close();
  subscriber = undefined;
  await broker.close();
});

function watch(protocol: 'auto' | 5) {
  const notices: WatchNotice[] = [];
  const messages: string[] = [];
  subscriber = startSubscriber({
    url: broker.url,
    protocol,
    filters: ['thrum/#'],
    onMessage: (topic, payload) => messages.push(`${topic} ${payload.toString()}`),
    onNotice: (n) => notices.push(n),
  });
  return { notices, messages, events: () => notices.map((n) => n.event) };
}

it('auto: falls back to MQTT 3.1.1 when the broker refuses 5, subscribes and receives', async () => {
  const w = watch('auto');
  await expect.poll(w.events).toEqual(['watch.protocol-fallback', 'watch.connected']);
  const publisher = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
  await publisher.publishAsync('thrum/d/s/alert', 'x', { qos: 1 });
  await expect.poll(() => w.messages).toEqual(['thrum/d/s/alert x']);
  await publisher.endAsync();
});

it('a fixed MQTT 5 does not fall back: it reports the refusal and keeps retrying', async () => {
  const w = watch(5);
  await expect.poll(w.events).toContain('watch.connect-failed');
  await new Promise((r) => setTimeout(r, 1200)); // one mqtt.js retry
  expect(w.events()).not.toContain('watch.protocol-fallback');
  expect(w.events()).not.toContain('watch.connected');
});
