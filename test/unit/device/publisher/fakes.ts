import type {
  BrokerClient,
  ConnectionInfo,
  PublishOptions,
  PublishResult,
} from '../../../../device/publisher/broker-client.js';

import type { Clock } from '../../../../shared/clock.js';

export { FakeClock, settle } from '../../../helpers/fake-clock.js';

export interface SentMessage {
  topic: string;
  payload: Record<string, unknown>;
  options: PublishOptions;
  at: number;
}

type Responder = (m: SentMessage) => number | 'hold';

/** A broker client that records publishes and answers with the reason codes a test chooses. */
export class FakeBrokerClient implements BrokerClient {
  connected = false;
  readonly sent: SentMessage[] = [];
  responder: Responder = () => 0;
  private held: Array<{ m: SentMessage; resolve: (r: PublishResult) => void; reject: (e: Error) => void }> =
    [];
  private connectListeners = new Set<(info: ConnectionInfo) => void>();
  private disconnectListeners = new Set<(reason: string) => void>();
  ended = false;

  constructor(private readonly clock: Clock) {}

  onConnect(listener: (info: ConnectionInfo) => void): () => void {
    this.connectListeners.add(listener);
    return () => this.connectListeners.delete(listener);
  }
  onDisconnect(listener: (reason: string) => void): () => void {
    this.disconnectListeners.add(listener);
    return () => this.disconnectListeners.delete(listener);
  }

  connect(protocolVersion: 4 | 5 = 5): void {
    this.connected = true;
    for (const l of this.connectListeners) l({ protocolVersion });
  }

  /** Drops the connection: everything awaiting a PUBACK fails. */
  disconnect(): void {
    this.connected = false;
    const held = this.held;
    this.held = [];
    for (const h of held) h.reject(new Error('connection lost'));
    for (const l of this.disconnectListeners) l('test');
  }

  publish(topic: string, payload: string, options: PublishOptions): Promise<PublishResult> {
    if (!this.connected) return Promise.reject(new Error('not connected'));
    const m: SentMessage = { topic, payload: JSON.parse(payload), options, at: this.clock.now() };
    this.sent.push(m);
    const answer = this.responder(m);
    if (answer === 'hold') {
      return new Promise((resolve, reject) => this.held.push({ m, resolve, reject }));
    }
    return Promise.resolve({ reasonCode: answer });
  }

  /** Acknowledges held publishes, oldest first. */
  release(reasonCode = 0, count = Number.POSITIVE_INFINITY): void {
    const now = this.held.splice(0, count);
    for (const h of now) h.resolve({ reasonCode });
  }

  get heldCount(): number {
    return this.held.length;
  }

  async end(): Promise<void> {
    this.ended = true;
    this.connected = false;
  }
}
