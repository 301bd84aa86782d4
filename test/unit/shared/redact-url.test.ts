import { describe, expect, it } from 'vitest';
import { redactUrl, urlHasUserinfo } from '../../../shared/redact-url.js';

describe('redactUrl', () => {
  it.each([
    ['mqtt://pump-7:S3cret@host:1883', 'mqtt://***@host:1883'],
    ['mqtts://pump-7@host:8883/x?y=1', 'mqtts://***@host:8883/x?y=1'],
    ['wss://u:p%40ss@broker.example/mqtt', 'wss://***@broker.example/mqtt'],
    // An unencoded @ in the password: the last @ of the authority ends the userinfo.
    ['mqtt://u:p@ss@host', 'mqtt://***@host'],
    // An unencoded / in the password ends the authority early; the @ after it still gives it away.
    ['mqtt://u:pa/ss@host:1883', 'mqtt://***'],
    // Not a URL at all, but it holds an @: nothing of it is shown.
    ['u:S3cret@host', '***'],
  ])('%s -> %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
    expect(redactUrl(url)).not.toMatch(/S3cret|p%40ss|pa\/ss|p@ss/);
    expect(urlHasUserinfo(url)).toBe(true);
  });

  it('leaves URLs without userinfo alone', () => {
    for (const url of [
      'mqtt://host:1883',
      'mqtts://[::1]:8883',
      'ws://host/mqtt?x=1',
      'mqtt://h:99999',
      'localhost:1883',
    ]) {
      expect(redactUrl(url)).toBe(url);
      expect(urlHasUserinfo(url)).toBe(false);
    }
  });
});
