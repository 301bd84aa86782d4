import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../../shared/bundle/canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops all whitespace', () => {
    const text = canonicalJson(
      JSON.parse('{ "b": [ 2, {"z": 1, "a": null} ], "a": { "y": true, "x": "s" } }'),
    );
    expect(text).toBe('{"a":{"x":"s","y":true},"b":[2,{"a":null,"z":1}]}');
  });

  it('gives the same text for the same document however it was written', () => {
    const a = {
      threshold: 1.5,
      files: { int8: { sha256: 'ab', bytes: 3 }, fp32: { bytes: 4, sha256: 'cd' } },
    };
    const b = JSON.parse(
      JSON.stringify(
        { files: { fp32: { sha256: 'cd', bytes: 4 }, int8: { bytes: 3, sha256: 'ab' } }, threshold: 1.5 },
        null,
        4,
      ),
    );
    expect(canonicalJson(b)).toBe(canonicalJson(a));
    // Any change of a value changes the text.
    expect(canonicalJson({ ...a, threshold: 1e9 })).not.toBe(canonicalJson(a));
  });

  it('writes numbers and strings as ECMAScript does (RFC 8785)', () => {
    expect(canonicalJson([1e21, 1e-7, -0, 0.1 + 0.2, 100])).toBe('[1e+21,1e-7,0,0.30000000000000004,100]');
    expect(canonicalJson('é\n"\u2028')).toBe('"é\\n\\"\u2028"');
  });

  it('orders keys by UTF-16 code units, as RFC 8785 does', () => {
    // U+00E9 (é) sorts after "z"; U+1F600 (a surrogate pair, 0xD83D...) sorts before U+FB01 (0xFB01).
    expect(canonicalJson({ é: 1, z: 2, '\u{1F600}': 3, '\uFB01': 4 })).toBe(
      '{"z":2,"é":1,"\u{1F600}":3,"\uFB01":4}',
    );
  });

  it('skips properties holding undefined, like JSON.stringify', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });

  it('refuses what JSON cannot hold', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(/not a JSON number/);
    expect(() => canonicalJson([undefined])).toThrow(/not a JSON value/);
    expect(() => canonicalJson(new Date(0))).toThrow(/not a JSON value/);
    expect(() => canonicalJson({ big: 1n })).toThrow(/bigint is not a JSON value/);
  });
});
