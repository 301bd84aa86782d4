/** Text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON for an inline <script type="application/json">: every '<' becomes \u003c (JSON only has '<' inside
 * strings, where it means the same), so no `</script` or `<!--` in the data can end the element early.
 * Numbers keep `significant` digits (a chart needs no more, and the page stays small); NaN and ±Infinity
 * become null, as JSON.stringify makes them anyway.
 */
export function scriptJson(value: unknown, significant = 17): string {
  const round = (_key: string, v: unknown) =>
    typeof v === 'number' && Number.isFinite(v) ? +v.toPrecision(significant) : v;
  return JSON.stringify(value, round).replace(/</g, '\\u003c');
}

/**
 * Code or CSS placed verbatim inside <script> / <style>. Rewriting code could change its meaning, so a text
 * that would close the element early is refused instead.
 */
export function inlineVerbatim(text: string, element: 'script' | 'style', source: string): string {
  if (new RegExp(`</${element}|<!--`, 'i').test(text))
    throw new Error(`${source} contains "</${element}" or "<!--" and cannot be inlined into report.html`);
  return text;
}
