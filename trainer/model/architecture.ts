/** Layer widths from the input to the bottleneck; the decoder mirrors them back to `inputSize`. */
export function layerWidths(inputSize: number, bottleneck?: number): number[] {
  const b = bottleneck ?? Math.max(2, Math.round(inputSize / 8));
  const widths: number[] = [];
  // Halve from D/2 (at least 8, at most 256) down towards the bottleneck, with at most three hidden layers.
  let w = Math.min(256, Math.max(8, Math.round(inputSize / 2)));
  while (w > b && widths.length < 3) {
    widths.push(w);
    w = Math.round(w / 2);
  }
  widths.push(b);
  return widths;
}
