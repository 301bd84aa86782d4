import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The shared real-data folder (SKAB, CWRU): $THRUM_DATASETS when set, else `../shared/datasets` next to the
 * repository. The project never copies these files into its own tree.
 */
export function datasetsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.THRUM_DATASETS ? resolve(env.THRUM_DATASETS) : join(REPO, '..', 'shared', 'datasets');
}

/** A file each dataset folder holds (IMS has no manifest). */
const MARKER = { skab: 'manifest.csv', cwru: 'manifest.csv', ims: 'test1_10min.csv' } as const;

/** `<datasets>/<name>` when it exists, else undefined (tests skip with a reason, benchmarks say where to look). */
export function findDataset(
  name: keyof typeof MARKER,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const dir = join(datasetsDir(env), name);
  return existsSync(join(dir, MARKER[name])) ? dir : undefined;
}
