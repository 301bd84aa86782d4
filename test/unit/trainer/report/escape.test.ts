import { describe, expect, it } from 'vitest';
import { escapeHtml, inlineVerbatim, scriptJson } from '../../../../trainer/report/escape.js';

describe('escaping for report.html', () => {
  it('escapes markup characters in text and attributes', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
  });

  it('JSON that cannot close its <script> element and parses back to the same strings', () => {
    const value = { name: '</script><script>alert(1)</script>', note: '<!-- x -->' };
    const json = scriptJson(value);
    expect(json).not.toMatch(/<\/script|<!--/i);
    expect(JSON.parse(json)).toEqual(value);
  });

  it('rounds numbers to the significant digits asked for; NaN becomes null', () => {
    expect(JSON.parse(scriptJson({ a: [1.23456789, 123456.789, Number.NaN] }, 4))).toEqual({
      a: [1.235, 123500, null],
    });
  });

  it('refuses code that would end its element early instead of rewriting it', () => {
    expect(inlineVerbatim('a < b', 'script', 'x.js')).toBe('a < b');
    expect(() => inlineVerbatim('s = "</SCRIPT>"', 'script', 'x.js')).toThrow(/x\.js.*<\/script/);
    expect(() => inlineVerbatim('p{} </style>', 'style', 'x.css')).toThrow(/x\.css/);
  });
});
