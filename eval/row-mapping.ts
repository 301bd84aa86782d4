/** Where a window ends in its stream: `endSample` is exclusive, so its last row is endSample - 1. */
export interface WindowEnd {
  endSample: number;
}

/**
 * The row-mapping rule, which uses no data the device did not have: row i takes the value of the latest window
 * whose LAST row is at or before i (with hop 1, the window ending at row i), i.e. what the device knew when
 * row i arrived. Rows before the first window ends take `before` (the detector's initial, normal state; NaN for
 * scores, meaning "not covered"). Windows must be in stream order (ascending endSample).
 */
export function mapToRows(
  windows: readonly WindowEnd[],
  values: ArrayLike<number>,
  rows: number,
  before = 0,
): Float64Array {
  if (values.length !== windows.length) {
    throw new RangeError(`mapToRows: ${values.length} values for ${windows.length} windows`);
  }
  const out = new Float64Array(rows).fill(before);
  for (let w = 0; w < windows.length; w++) {
    const from = windows[w].endSample - 1;
    if (w > 0 && from < windows[w - 1].endSample - 1) {
      throw new RangeError(`mapToRows: window ${w} ends before window ${w - 1} (not in stream order)`);
    }
    const to = w + 1 < windows.length ? windows[w + 1].endSample - 1 : rows;
    for (let i = Math.max(0, from); i < Math.min(rows, to); i++) out[i] = values[w];
  }
  return out;
}
