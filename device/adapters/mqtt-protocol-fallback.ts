/** What a client was configured with: a fixed MQTT version, or `auto` (5 first, 3.1.1 when refused). */
export type ProtocolChoice = 4 | 5 | 'auto';

/** CONNACK codes meaning "I do not speak this protocol version": 3.1.1 numbering (1) and MQTT 5 (0x84). */
const UNSUPPORTED_PROTOCOL = new Set([1, 0x84]);

export interface ProtocolSwitch {
  from: 4 | 5;
  to: 4 | 5;
  /** The first switch since the last successful connection is retried at once; after that the caller waits
   * as for any failed attempt, so a broker that refuses both versions is not hammered. */
  retryAtOnce: boolean;
}

export interface ProtocolFallback {
  /** The version the next connection attempt uses. */
  readonly version: 4 | 5;
  /** Feed each connection error: under `auto`, a refused version switches to the other one and says so. */
  onError(err: unknown): ProtocolSwitch | undefined;
  /** A connection succeeded (with `version`). */
  onConnect(): void;
}

/**
 * MQTT 5 -> 3.1.1 fallback for `auto`: aedes and older brokers refuse MQTT 5 in CONNACK, and the next attempt
 * then speaks 3.1.1 (and 5 again if 3.1.1 is refused too). The daemon's client and `thrum watch` both ask it.
 */
export function protocolFallback(choice: ProtocolChoice): ProtocolFallback {
  let version: 4 | 5 = choice === 4 ? 4 : 5;
  let switchedSinceConnect = false;
  return {
    get version() {
      return version;
    },
    onError(err) {
      const code = (err as { code?: unknown } | undefined)?.code;
      if (choice !== 'auto' || typeof code !== 'number' || !UNSUPPORTED_PROTOCOL.has(code)) return undefined;
      const from = version;
      version = from === 5 ? 4 : 5;
      const retryAtOnce = !switchedSinceConnect;
      switchedSinceConnect = true;
      return { from, to: version, retryAtOnce };
    },
    onConnect() {
      switchedSinceConnect = false;
    },
  };
}

/** `5` or `3.1.1`, as people name the versions. */
export function protocolName(version: 4 | 5): string {
  return version === 5 ? '5' : '3.1.1';
}
