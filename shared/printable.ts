// Text from a user's file shown in a one-line message: quoted, shortened, and with every character a
// terminal would not show plainly (controls, line and paragraph separators, format characters, unassigned
// code points and noncharacters, lone surrogates) written as an escape, so a message stays one visible line.

const HIDDEN = /[\p{Cc}\p{Cf}\p{Cn}\p{Cs}\p{Zl}\p{Zp}]/gu;

const escapeChar = (ch: string): string => {
  const c = ch.codePointAt(0)!;
  return c > 0xffff ? `\\u{${c.toString(16)}}` : `\\u${c.toString(16).padStart(4, '0')}`;
};

/** `"pump-7"`; longer than `max` characters: the start and `…"`. */
export function quote(text: string, max = 60): string {
  const shown = text.length > max ? `${text.slice(0, max - 3)}…` : text;
  return `"${shown.replace(/["\\]/g, (ch) => `\\${ch}`).replace(HIDDEN, escapeChar)}"`;
}

/** `text` with hidden characters escaped, not quoted (for keys and paths). */
export function printable(text: string): string {
  return text.replace(HIDDEN, escapeChar);
}

/** A file path, quoted and escaped like quote() but never shortened: the user needs all of it to act on it. */
export function quotePath(path: string): string {
  return quote(path, Number.POSITIVE_INFINITY);
}
