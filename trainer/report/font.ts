/** A 3x5 pixel font for tick labels: each glyph is 5 rows of 3 bits (MSB = left column). */
const GLYPHS: Record<string, number[]> = {
  '0': [7, 5, 5, 5, 7],
  '1': [2, 6, 2, 2, 7],
  '2': [7, 1, 7, 4, 7],
  '3': [7, 1, 7, 1, 7],
  '4': [5, 5, 7, 1, 1],
  '5': [7, 4, 7, 1, 7],
  '6': [7, 4, 7, 5, 7],
  '7': [7, 1, 1, 1, 1],
  '8': [7, 5, 7, 5, 7],
  '9': [7, 5, 7, 1, 7],
  '.': [0, 0, 0, 0, 2],
  '-': [0, 0, 7, 0, 0],
  '+': [0, 2, 7, 2, 0],
  e: [0, 7, 7, 4, 7],
  ' ': [0, 0, 0, 0, 0],
};

export const GLYPH_WIDTH = 3;
export const GLYPH_HEIGHT = 5;

/** Calls `pixel(x, y)` for each lit pixel of `text` (unknown characters print as blanks). */
export function rasterText(text: string, pixel: (x: number, y: number) => void): void {
  [...text].forEach((ch, i) => {
    const rows = GLYPHS[ch] ?? GLYPHS[' '];
    rows.forEach((bits, y) => {
      for (let x = 0; x < GLYPH_WIDTH; x++) if (bits & (4 >> x)) pixel(i * (GLYPH_WIDTH + 1) + x, y);
    });
  });
}
