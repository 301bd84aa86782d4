import { urlHasUserinfo } from '../../shared/redact-url.js';

// What `mqtt.url` must be for mqtt.js to connect with it rather than throw from inside the daemon: a scheme it
// speaks, a host, a port in range, and no credentials (they would be printed wherever the URL is, and mqtt.js
// lets a user name in the URL silently override mqtt.username).

const SCHEMES = /^(mqtts?|wss?|tcp|ssl):\/\/\S+$/;
export const PLAIN_SCHEMES = ['mqtt:', 'ws:', 'tcp:'];

/** Why `url` cannot be the broker URL, or undefined. Never repeats the URL (it may hold a password). */
export function brokerUrlProblem(url: string): string | undefined {
  if (!SCHEMES.test(url)) return 'expected a broker URL such as mqtt://host:1883 or mqtts://host:8883';
  if (urlHasUserinfo(url)) {
    return (
      'must not hold a user name or password (user:password@host): they end up in logs, backups and tickets; ' +
      'put the user in mqtt.username and the password in the file named by mqtt.passwordFile ' +
      '(or in the THRUM_MQTT_PASSWORD environment variable)'
    );
  }
  const port = /^[a-z]+:\/\/(?:\[[^\]]*\]|[^/?#:]*):(\d+)(?:[/?#]|$)/.exec(url)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    return `port ${port.length > 8 ? `${port.slice(0, 8)}…` : port} is out of range: expected 1 to 65535 (1883 for mqtt://, 8883 for mqtts://)`;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a valid URL: expected scheme://host[:port], e.g. mqtts://broker.example.com:8883';
  }
  if (parsed.hostname === '') return 'has no host: expected scheme://host[:port]';
  if (parsed.searchParams.has('clientId'))
    return 'must not set ?clientId= (mqtt.js would use it over mqtt.clientId): set mqtt.clientId';
  return undefined;
}

/** True for schemes that send everything, the password included, in clear text. */
export function isPlaintextUrl(url: string): boolean {
  return PLAIN_SCHEMES.some((s) => url.startsWith(`${s}//`));
}
