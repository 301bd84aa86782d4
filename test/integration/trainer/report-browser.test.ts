import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TrainResult } from '../../../trainer/train.js';
import { makeBundle } from '../../fixtures/make-bundle.js';
import { launchOfflineChromium, type OfflineBrowser } from '../../helpers/chromium.js';
import { describeRequiring } from '../../helpers/system-tools.js';

// Screenshots for a person to look at; .thrum/ is gitignored.
const ARTEFACTS = resolve(import.meta.dirname, '../../../.thrum/test-artefacts');

interface Rendered {
  drawn: number;
  /** Per chart id: its canvases and their coloured pixels (see PROBE). */
  charts: Record<string, { canvases: number; colouredPixels: number }>;
  notes: string[];
  titles: string[];
  consoleErrors: string[];
  /** Requests the page made beyond file: (all aborted). */
  requestsOut: string[];
}

/**
 * Runs in the page (a string: this project's TypeScript has no DOM types). A pixel counts as coloured when its
 * channels differ by more than 60: series are coloured, uPlot's axes, grid and text are grey.
 */
const PROBE = `(() => {
  const charts = {};
  for (const el of document.querySelectorAll('[data-chart]')) {
    const canvases = [...el.querySelectorAll('canvas')];
    let colouredPixels = 0;
    for (const canvas of canvases) {
      const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < px.length; i += 4) {
        const spread = Math.max(px[i], px[i + 1], px[i + 2]) - Math.min(px[i], px[i + 1], px[i + 2]);
        if (px[i + 3] > 0 && spread > 60) colouredPixels++;
      }
    }
    charts[el.dataset.chart] = { canvases: canvases.length, colouredPixels };
  }
  return {
    drawn: Number(document.body.dataset.chartsDrawn),
    charts,
    notes: [...document.querySelectorAll('figure .note')].map((n) => n.textContent),
    titles: [...document.querySelectorAll('figure h3')].map((n) => n.textContent),
  };
})()`;

/** Opens the bundle's report; saves `<name>.png` (the whole page) and `<name>-<figure>.png` (each figure). */
async function openReport(browser: OfflineBrowser, dir: string, name: string): Promise<Rendered> {
  const page = await browser.context.newPage();
  const before = browser.blocked.length;
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  await page.goto(pathToFileURL(join(dir, 'report.html')).href);
  await page.waitForSelector('body[data-charts-drawn]', { timeout: 15_000 });
  const result = await page.evaluate<Omit<Rendered, 'consoleErrors' | 'requestsOut'>>(PROBE);
  await page.screenshot({ path: join(ARTEFACTS, `${name}.png`), fullPage: true });
  for (const figure of await page.locator('figure').all())
    await figure.screenshot({
      path: join(ARTEFACTS, `${name}-${(await figure.getAttribute('id'))?.slice(4)}.png`),
    });
  await page.close();
  return { ...result, consoleErrors, requestsOut: browser.blocked.slice(before) };
}

describeRequiring(['chromium'], 'report.html in Chromium from file:// with the network blocked', () => {
  let browser: OfflineBrowser;
  let ae: TrainResult;
  let pca: TrainResult;
  beforeAll(async () => {
    mkdirSync(ARTEFACTS, { recursive: true });
    ae = await makeBundle({ report: true });
    pca = await makeBundle({ report: true, model: 'pca', features: ['stats'] });
    browser = await launchOfflineChromium();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('an autoencoder bundle: all six charts draw data, no console error, no request leaves the file', async () => {
    const r = await openReport(browser, ae.dir, 'report-ae');
    expect(r.consoleErrors).toEqual([]);
    expect(r.requestsOut).toEqual([]);
    expect(Object.keys(r.charts).sort()).toEqual(
      ['groupError', 'int8', 'latent', 'loss', 'scores', 'spectra'].sort(),
    );
    expect(r.drawn).toBe(6);
    for (const [id, c] of Object.entries(r.charts)) {
      expect(c.canvases, id).toBe(1);
      expect(c.colouredPixels, `${id}: coloured pixels`).toBeGreaterThan(300);
    }
    expect(r.notes).toEqual([]);
  }, 60_000);

  it('a pca bundle: says it has no loss curve and draws the other five, feature means for spectra', async () => {
    const r = await openReport(browser, pca.dir, 'report-pca');
    expect(r.consoleErrors).toEqual([]);
    expect(r.requestsOut).toEqual([]);
    expect(r.charts.loss).toBeUndefined();
    expect(r.notes.join(' ')).toMatch(/pca is fitted in closed form.*no loss curve/);
    expect(r.drawn).toBe(5);
    expect(r.titles).toContain('Normal vs anomalous feature means');
    for (const [id, c] of Object.entries(r.charts))
      expect(c.colouredPixels, `${id}: coloured pixels`).toBeGreaterThan(300);
  }, 60_000);

  it('a request from the page would be caught: a console error in the report (its CSP), the route elsewhere', async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    const before = browser.blocked.length;
    await page.goto(pathToFileURL(join(ae.dir, 'report.html')).href);
    await page.evaluate(() => fetch('http://example.com/x').catch(() => undefined));
    await page.close();
    // The report's Content-Security-Policy refuses the fetch before it reaches the network, and says so.
    expect(browser.blocked.length).toBe(before);
    expect(errors.join('\n')).toMatch(/Content Security Policy/);
    const bare = await browser.context.newPage();
    await bare.goto('data:text/html,<p>no csp</p>');
    await bare.evaluate(() => fetch('http://example.com/y').catch(() => undefined));
    await bare.close();
    expect(browser.blocked.slice(before)).toEqual(['http://example.com/y']);
  }, 30_000);
});
