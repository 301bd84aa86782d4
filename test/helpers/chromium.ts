// Debian's chromium driven by playwright-core (which never downloads a browser), offline: every request that
// is not file: is aborted and recorded, so a test can assert that a page needed nothing from the network.
import { rmSync } from 'node:fs';
import { type BrowserContext, chromium } from 'playwright-core';
import { findExecutable } from '../../scripts/process/executables.js';
import { makeTempDir } from '../../scripts/process/run-token.js';

export interface OfflineBrowser {
  context: BrowserContext;
  /** URLs of the requests that tried to leave file:, in order (all were aborted). */
  blocked: string[];
  close(): Promise<void>;
}

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // A second wall behind the route below: no host name resolves.
  '--host-resolver-rules=MAP * ~NOTFOUND',
];

/**
 * A fresh profile (a temp user-data-dir named with the run token, so the global teardown finds a browser a
 * crashed worker left behind) and a context whose network is blocked.
 */
export async function launchOfflineChromium(
  viewport = { width: 1100, height: 900 },
): Promise<OfflineBrowser> {
  const executablePath = findExecutable('chromium');
  if (!executablePath) throw new Error('chromium not found on PATH (apt-get install chromium)');
  const profile = makeTempDir('chromium');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    args: ARGS,
    viewport,
    offline: true,
  });
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  return {
    context,
    blocked,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
