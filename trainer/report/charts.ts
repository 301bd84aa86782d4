import { Canvas, type Color } from './canvas.js';

export const PALETTE = {
  blue: [31, 119, 180] as Color,
  orange: [255, 127, 14] as Color,
  red: [214, 39, 40] as Color,
  green: [44, 160, 44] as Color,
  purple: [148, 103, 189] as Color,
  brown: [140, 86, 75] as Color,
  pink: [227, 119, 194] as Color,
  olive: [188, 189, 34] as Color,
  grey: [150, 150, 150] as Color,
  ink: [40, 40, 40] as Color,
};

const W = 640;
const H = 320;
const M = { left: 70, right: 16, top: 12, bottom: 28 };

/** Tick-label text the 3x5 font can draw (digits, '.', '-', 'e', '+'). */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-2 ? v.toExponential(1) : String(+v.toPrecision(3));
}

interface Axis {
  min: number;
  max: number;
  /** Values are plotted as log10 and labelled as 10^value. */
  log?: boolean;
}

function extent(values: number[], log = false): Axis {
  const finite = values
    .filter((v) => Number.isFinite(v) && (!log || v > 0))
    .map((v) => (log ? Math.log10(v) : v));
  let min = Math.min(...finite);
  let max = Math.max(...finite);
  if (!Number.isFinite(min)) [min, max] = [0, 1];
  if (min === max) [min, max] = [min - 0.5, max + 0.5];
  return { min, max, log };
}

class Frame {
  readonly canvas = new Canvas(W, H);
  constructor(
    readonly x: Axis,
    readonly y: Axis,
  ) {
    const c = this.canvas;
    c.line(M.left, M.top, M.left, H - M.bottom, PALETTE.ink);
    c.line(M.left, H - M.bottom, W - M.right, H - M.bottom, PALETTE.ink);
    for (const f of [0, 0.5, 1]) {
      const yv = y.min + f * (y.max - y.min);
      const label = formatTick(y.log ? 10 ** yv : yv);
      const py = this.py(yv, true);
      c.line(M.left - 4, py, M.left, py, PALETTE.ink);
      c.text(M.left - 8 - c.textWidth(label), py - 5, label, PALETTE.ink);
      const xv = x.min + f * (x.max - x.min);
      const xl = formatTick(x.log ? 10 ** xv : xv);
      const px = this.px(xv, true);
      c.line(px, H - M.bottom, px, H - M.bottom + 4, PALETTE.ink);
      c.text(
        Math.min(W - c.textWidth(xl) - 2, Math.max(0, px - c.textWidth(xl) / 2)),
        H - M.bottom + 8,
        xl,
        PALETTE.ink,
      );
    }
  }
  /** Pixel column of x (already log10 when `raw` is true). */
  px(v: number, raw = false): number {
    const x = !raw && this.x.log ? Math.log10(v) : v;
    return M.left + ((x - this.x.min) / (this.x.max - this.x.min)) * (W - M.left - M.right);
  }
  py(v: number, raw = false): number {
    const y = !raw && this.y.log ? Math.log10(v) : v;
    return H - M.bottom - ((y - this.y.min) / (this.y.max - this.y.min)) * (H - M.top - M.bottom);
  }
}

export interface Series {
  values: number[];
  color: Color;
}

/** Lines over index 1..n, e.g. training and validation loss per epoch (log y). */
export function lineChart(series: Series[], marker?: number): Canvas {
  const all = series.flatMap((s) => s.values);
  const n = Math.max(2, ...series.map((s) => s.values.length));
  const f = new Frame(
    { min: 1, max: n },
    extent(
      all,
      all.every((v) => v > 0),
    ),
  );
  if (marker !== undefined) f.canvas.line(f.px(marker), M.top, f.px(marker), H - M.bottom, PALETTE.grey);
  for (const s of series) {
    for (let i = 1; i < s.values.length; i++)
      f.canvas.line(f.px(i), f.py(s.values[i - 1]), f.px(i + 1), f.py(s.values[i]), s.color, 2);
  }
  return f.canvas;
}

/** Overlaid histograms on a log10 x axis (scores span decades), with vertical markers (thresholds). */
export function histogram(groups: Series[], markers: { x: number; color: Color }[], bins = 40): Canvas {
  const x = extent([...groups.flatMap((g) => g.values), ...markers.map((m) => m.x)], true);
  const width = (x.max - x.min) / bins;
  const counts = groups.map((g) => {
    const h = new Array<number>(bins).fill(0);
    for (const v of g.values) if (v > 0) h[Math.min(bins - 1, Math.floor((Math.log10(v) - x.min) / width))]++;
    return h.map((c) => c / Math.max(1, g.values.length));
  });
  const f = new Frame(x, { min: 0, max: Math.max(1e-9, ...counts.flat()) });
  groups.forEach((g, gi) => {
    counts[gi].forEach((share, b) => {
      const x0 = f.px(x.min + b * width, true);
      const x1 = f.px(x.min + (b + 1) * width, true);
      const y = f.py(share);
      if (gi === 0) f.canvas.fillRect(x0, y, Math.max(1, x1 - x0 - 1), H - M.bottom - y, g.color);
      else f.canvas.line(x0, y, x1, y, g.color, 3);
    });
  });
  for (const m of markers) f.canvas.line(f.px(m.x), M.top, f.px(m.x), H - M.bottom, m.color, 2);
  return f.canvas;
}

/** One bar per value (e.g. reconstruction error per feature group or band), colours per bar. */
export function barChart(values: number[], colors: Color[]): Canvas {
  const f = new Frame(
    { min: 0, max: Math.max(1, values.length) },
    { min: 0, max: Math.max(1e-12, ...values) },
  );
  const width = (W - M.left - M.right) / Math.max(1, values.length);
  values.forEach((v, i) => {
    const y = f.py(v);
    f.canvas.fillRect(
      M.left + i * width + 1,
      y,
      Math.max(1, width - 2),
      H - M.bottom - y,
      colors[i % colors.length],
    );
  });
  return f.canvas;
}

/** Points on log-log axes with the y = x diagonal (e.g. int8 vs fp32 scores). */
export function scatter(groups: { x: number[]; y: number[]; color: Color }[]): Canvas {
  const both = groups.flatMap((g) => [...g.x, ...g.y]);
  const range = extent(both, true);
  const f = new Frame(range, range);
  f.canvas.line(
    f.px(range.min, true),
    f.py(range.min, true),
    f.px(range.max, true),
    f.py(range.max, true),
    PALETTE.grey,
  );
  for (const g of groups) {
    g.x.forEach((xv, i) => {
      if (xv > 0 && g.y[i] > 0) f.canvas.dot(f.px(xv), f.py(g.y[i]), 2, g.color);
    });
  }
  return f.canvas;
}
