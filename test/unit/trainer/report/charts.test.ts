import { describe, expect, it } from 'vitest';
import { Canvas } from '../../../../trainer/report/canvas.js';
import { barChart, formatTick, lineChart, PALETTE, scatter } from '../../../../trainer/report/charts.js';

const pixel = (c: Canvas, x: number, y: number) => [
  ...c.pixels.subarray((y * c.width + x) * 3, (y * c.width + x) * 3 + 3),
];
const count = (c: Canvas, color: readonly number[]) => {
  let n = 0;
  for (let i = 0; i < c.pixels.length; i += 3)
    if (c.pixels[i] === color[0] && c.pixels[i + 1] === color[1] && c.pixels[i + 2] === color[2]) n++;
  return n;
};

describe('Canvas', () => {
  it('fills rectangles, clips at the edges and draws lines end to end', () => {
    const c = new Canvas(10, 10);
    c.fillRect(8, 8, 5, 5, [1, 2, 3]);
    expect(pixel(c, 9, 9)).toEqual([1, 2, 3]);
    expect(pixel(c, 7, 7)).toEqual([255, 255, 255]);
    c.line(0, 0, 9, 0, [9, 9, 9]);
    expect(count(c, [9, 9, 9])).toBe(10);
  });

  it('draws digits with the bitmap font', () => {
    const c = new Canvas(20, 10);
    c.text(0, 0, '1', [0, 0, 0], 1);
    // glyph '1' rows: 010, 110, 010, 010, 111 -> 8 lit pixels
    expect(count(c, [0, 0, 0])).toBe(8);
    expect(pixel(c, 1, 0)).toEqual([0, 0, 0]);
    expect(pixel(c, 0, 0)).toEqual([255, 255, 255]);
  });
});

describe('charts', () => {
  it('formats ticks with only characters the font has', () => {
    for (const v of [0, 0.411, 12.5, 383, 123456, 0.00012, -2.5])
      expect(formatTick(v)).toMatch(/^[0-9.e+-]+$/);
    expect(formatTick(123456)).toBe('1.2e+5');
  });

  it('draws one bar per value, taller for larger values', () => {
    const c = barChart([1, 3], [PALETTE.blue, PALETTE.orange]);
    const blue = count(c, PALETTE.blue);
    const orange = count(c, PALETTE.orange);
    expect(blue).toBeGreaterThan(0);
    expect(orange / blue).toBeCloseTo(3, 0);
  });

  it('draws line series and scatter points in their colours', () => {
    expect(count(lineChart([{ values: [3, 2, 1], color: PALETTE.green }]), PALETTE.green)).toBeGreaterThan(
      100,
    );
    expect(count(scatter([{ x: [1, 10], y: [1, 10], color: PALETTE.red }]), PALETTE.red)).toBeGreaterThan(10);
  });
});
