// Commit-before-ack on a real mosquitto: when handling (the SQLite commit in `thrum collect`) throws, no
// PUBACK goes out, so the broker still owns the alert and hands it over again when the same client id comes
// back. Under MQTT 3.1.1 too: mqtt.js ignores customHandleAcks there, which is why the subscriber hooks
// handleMessage instead.
import mqtt from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSubscriber } from '../../../tools/watch/mqtt-subscriber.js';
import { describeWithMosquitto, type Mosquitto, startMosquitto } from '../../helpers/mosquitto.js';

describeWithMosquitto('ackAfterHandling on mosquitto 2', () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(() => broker?.stop());

  for (const protocol of [5, 4] as const) {
    it(`MQTT ${protocol === 5 ? '5' : '3.1.1'}: a message whose handling failed is redelivered, one that was handled is not`, async () => {
      const clientId = `ack-${protocol}`;
      const topic = `thrum/ack-${protocol}/s/alert`;
      const run = (fail: boolean) => {
        const seen: string[] = [];
        const failures: unknown[] = [];
        let connected = false;
        const sub = startSubscriber({
          url: broker.url,
          protocol,
          filters: [topic],
          clientId,
          ackAfterHandling: { onHandlerError: (err) => failures.push(err) },
          onMessage: (_t, payload) => {
            if (fail) throw new Error('disk full');
            seen.push(payload.toString());
          },
          onNotice: (n) => {
            if (n.event === 'watch.connected') connected = true;
          },
        });
        return { sub, seen, failures, up: () => connected };
      };
      const publisher = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
      const first = run(true);
      await expect.poll(first.up).toBe(true);
      await publisher.publishAsync(topic, 'one', { qos: 1 });
      await expect.poll(() => first.failures.length).toBe(1);
      await first.sub.close();

      const second = run(false);
      await expect.poll(() => second.seen).toEqual(['one']); // still the broker's: it was never acked
      await publisher.publishAsync(topic, 'two', { qos: 1 });
      await expect.poll(() => second.seen).toEqual(['one', 'two']);
      await second.sub.close();

      const third = run(false);
      await expect.poll(third.up).toBe(true);
      await publisher.publishAsync(topic, 'three', { qos: 1 });
      await expect.poll(() => third.seen).toEqual(['three']); // 'one' and 'two' were acked after handling
      await third.sub.close();
      await publisher.endAsync();
    }, 20_000);
  }
});
