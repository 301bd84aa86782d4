// The one way a URL is shown in a message or a log line: whatever stands before an `@` in its authority
// (user name, password) becomes `***`. Works on text, not on a parsed URL: a URL that does not parse (a
// typo, a port out of range) must not be printed with its password either.

/** Scheme `xyz://`, then the authority up to the first `/`, `?` or `#`. */
const AUTHORITY = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)/;

/** `mqtt://pump-7:S3cret@host:1883` -> `mqtt://***@host:1883`; a URL without userinfo is returned as is. */
export function redactUrl(url: string): string {
  const m = AUTHORITY.exec(url);
  if (!m) return url.includes('@') ? '***' : url;
  const [, scheme, authority] = m as unknown as [string, string, string];
  const at = authority.lastIndexOf('@');
  const rest = url.slice(scheme.length + authority.length);
  // A password holding an unencoded `/`, `?` or `#` ends the authority early: then an `@` still follows.
  if (at < 0) return rest.includes('@') ? `${scheme}***` : url;
  return `${scheme}***@${authority.slice(at + 1)}${rest}`;
}

/** True when the URL's authority carries userinfo (`user@` or `user:password@`). */
export function urlHasUserinfo(url: string): boolean {
  return redactUrl(url) !== url;
}
