import { describe, expect, it } from 'vitest';
import { protocolFallback } from '../../../../device/adapters/mqtt-protocol-fallback.js';

const refused5 = Object.assign(new Error('Unsupported protocol version'), { code: 0x84 });
const refused311 = Object.assign(new Error('Connection refused: Unacceptable protocol version'), { code: 1 });
const notAuthorized = Object.assign(new Error('Connection refused: Not authorized'), { code: 5 });

describe('protocolFallback', () => {
  it('auto: MQTT 5 first, 3.1.1 once the broker refuses 5, at once', () => {
    const f = protocolFallback('auto');
    expect(f.version).toBe(5);
    expect(f.onError(refused5)).toEqual({ from: 5, to: 4, retryAtOnce: true });
    expect(f.version).toBe(4);
  });

  it('auto: a broker refusing both versions is retried at once only the first time', () => {
    const f = protocolFallback('auto');
    f.onError(refused5);
    expect(f.onError(refused311)).toEqual({ from: 4, to: 5, retryAtOnce: false });
    expect(f.onError(refused5)).toEqual({ from: 5, to: 4, retryAtOnce: false });
    f.onConnect();
    expect(f.onError(refused311)).toEqual({ from: 4, to: 5, retryAtOnce: true });
  });

  it('other errors and errors without a CONNACK code leave the version alone', () => {
    const f = protocolFallback('auto');
    expect(f.onError(notAuthorized)).toBeUndefined();
    expect(f.onError(new Error('connect ECONNREFUSED'))).toBeUndefined();
    expect(f.onError(undefined)).toBeUndefined();
    expect(f.version).toBe(5);
  });

  it('a fixed version never switches', () => {
    for (const version of [4, 5] as const) {
      const f = protocolFallback(version);
      expect(f.version).toBe(version);
      expect(f.onError(refused5)).toBeUndefined();
      expect(f.onError(refused311)).toBeUndefined();
      expect(f.version).toBe(version);
    }
  });
});
