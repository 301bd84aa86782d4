import { MqttBrokerClient } from '../../device/adapters/mqtt-client.js';

export type AckListener = (topic: string, payload: string, atMs: number) => void;

/**
 * Measurement probe: wraps the daemon's MQTT adapter so every publish that resolves (for QoS 1: its PUBACK has
 * arrived) is reported with performance.now(). Product code is untouched; the wrapper only adds one awaited
 * promise. Returns the undo.
 */
export function probePublishes(listener: AckListener): () => void {
  const proto = MqttBrokerClient.prototype;
  const original = proto.publish;
  proto.publish = async function probed(this: MqttBrokerClient, topic, payload, options) {
    const result = await original.call(this, topic, payload, options);
    listener(topic, payload, performance.now());
    return result;
  };
  return () => {
    proto.publish = original;
  };
}
