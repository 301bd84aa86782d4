// The publisher's view of an MQTT connection. device/adapters/mqtt-client.ts implements it with mqtt.js;
// tests use a fake. Reconnecting is the client's job: it keeps trying forever and reports each transition.

export interface PublishOptions {
  qos: 0 | 1;
  retain?: boolean;
}

export interface PublishResult {
  /** The PUBACK reason code (MQTT 5); 0 under MQTT 3.1.1 and for QoS 0. Success is < 0x80. */
  reasonCode: number;
}

export interface ConnectionInfo {
  protocolVersion: 4 | 5;
}

export interface BrokerClient {
  readonly connected: boolean;
  /** Called on every successful (re)connect. Returns an unsubscribe function. */
  onConnect(listener: (info: ConnectionInfo) => void): () => void;
  onDisconnect(listener: (reason: string) => void): () => void;
  /**
   * Resolves when the broker acknowledged (QoS 1: PUBACK, whatever its reason code) or the packet was
   * written (QoS 0). Rejects when not connected or when the connection drops before the acknowledgement.
   */
  publish(topic: string, payload: string, options: PublishOptions): Promise<PublishResult>;
  /** Disconnects cleanly (the broker does not publish the Last Will) and stops reconnecting. */
  end(timeoutMs: number): Promise<void>;
}

/** MQTT 5: reason codes below 0x80 mean success (0x10 "no matching subscribers" included). */
export function isSuccess(reasonCode: number): boolean {
  return reasonCode < 0x80;
}
