import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { inlineVerbatim } from './escape.js';

/** What report.html inlines so that it needs no network and no other file. */
export interface PageAssets {
  uplotJs: string;
  uplotCss: string;
  /** page/charts.js: builds the charts from the page's JSON blob. */
  chartsJs: string;
}

let cached: PageAssets | undefined;

/** Read once per process: every report inlines the same ~55 kB. */
export function pageAssets(): PageAssets {
  if (cached) return cached;
  const resolve = createRequire(import.meta.url).resolve;
  const read = (path: string) => readFileSync(path, 'utf8');
  const uplotJs = resolve('uplot/dist/uPlot.iife.min.js');
  const uplotCss = resolve('uplot/dist/uPlot.min.css');
  // `npm run build` copies page/ next to the compiled module, so this path holds from dist/ too.
  const chartsJs = fileURLToPath(new URL('./page/charts.js', import.meta.url));
  cached = {
    uplotJs: inlineVerbatim(read(uplotJs), 'script', uplotJs),
    uplotCss: inlineVerbatim(read(uplotCss), 'style', uplotCss),
    chartsJs: inlineVerbatim(read(chartsJs), 'script', chartsJs),
  };
  return cached;
}
