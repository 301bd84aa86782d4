import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readBundle } from '../../shared/bundle/read.js';
import { exited } from '../process/child-exit.js';
import { spawnTracked } from '../process/spawn-tracked.js';

/** What the demo trains on: one minute of the simulated machine, healthy. */
export const DEMO_TRAINING = {
  seconds: 60,
  seed: 11,
  sampleRate: 3200,
  features: 'spectrum,stats',
  window: 1024,
  hop: 256,
  names: 'x,y,z',
} as const;

const KEY = Object.values(DEMO_TRAINING)
  .join('-')
  .replace(/[^a-z0-9-]/gi, '_');

/**
 * The demo's model bundle, trained by the real `thrum sim` + `thrum train` commands on the first run and
 * reused afterwards (the cache key changes when the training recipe does). A cached bundle that no longer
 * verifies (edited, truncated) is trained again.
 */
export async function demoBundle(opts: {
  cacheDir: string;
  thrum: string[];
  fresh: boolean;
  say: (line: string) => void;
}): Promise<string> {
  const dir = join(opts.cacheDir, `bundle-${KEY}`);
  if (!opts.fresh && existsSync(join(dir, 'manifest.json'))) {
    try {
      await readBundle(dir);
      opts.say(`using the cached model bundle ${dir} (--fresh trains a new one)`);
      return dir;
    } catch (err) {
      opts.say(`cached bundle unusable (${(err as Error).message}); training again`);
    }
  }
  mkdirSync(opts.cacheDir, { recursive: true });
  const healthy = join(opts.cacheDir, `healthy-${KEY}.csv`);
  const t = DEMO_TRAINING;
  opts.say(`simulating ${t.seconds} s of a healthy machine for training -> ${healthy}`);
  await run(opts, [
    'sim',
    '--fast',
    '--quiet',
    '--seconds',
    String(t.seconds),
    '--seed',
    String(t.seed),
    '--sample-rate',
    String(t.sampleRate),
    '--out',
    healthy,
  ]);
  opts.say('training the autoencoder on it (fp32 + int8 ONNX)');
  await run(opts, [
    'train',
    '--data',
    healthy,
    '--sample-rate',
    String(t.sampleRate),
    '--features',
    t.features,
    '--window',
    String(t.window),
    '--hop',
    String(t.hop),
    '--names',
    t.names,
    '--out',
    dir,
  ]);
  return dir;
}

async function run(opts: { thrum: string[] }, args: string[]): Promise<void> {
  const [command, ...prefix] = opts.thrum;
  const child = spawnTracked(command!, [...prefix, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await exited(child);
  if (code !== 0) throw new Error(`\`thrum ${args[0]}\` failed with exit code ${code}; see its output above`);
}
