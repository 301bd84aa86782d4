// The bytes a bundle signature covers. JSON.stringify of the same document can differ in key order and
// whitespace (an editor re-saving manifest.json, another tool writing it), so signer and verifier both sign the
// canonical form of the parsed document instead of the file's bytes. The rules are those of RFC 8785 (JCS) for
// the values JSON can hold: object keys sorted by UTF-16 code units (JavaScript's default sort), no whitespace,
// strings and numbers as ECMAScript serializes them (shortest round-trip numbers, -0 as 0). A verifier in
// another language can use any JCS library.

/** Canonical JSON text of a JSON value; throws TypeError on values JSON cannot hold (NaN, undefined in arrays, ...). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not a JSON number`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && isPlainObject(value)) {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      // As JSON.stringify does: a property holding undefined is not part of the document.
      .filter((key) => record[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${members.join(',')}}`;
  }
  throw new TypeError(`canonicalJson: a ${typeof value} is not a JSON value`);
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
