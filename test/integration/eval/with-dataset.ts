import { describe, it } from 'vitest';
import { datasetsDir, findDataset } from '../../../eval/datasets-dir.js';

/**
 * `describe` over a real dataset of ../shared/datasets (or $THRUM_DATASETS). When the folder is absent the suite
 * is skipped with a loud reason on the console, never silently.
 */
export function describeWithDataset(name: 'skab' | 'cwru', title: string, fn: (dir: string) => void): void {
  const dir = findDataset(name);
  if (dir) {
    describe(title, () => fn(dir));
    return;
  }
  const why = `${datasetsDir()}/${name}/manifest.csv not found (set THRUM_DATASETS to the folder holding ${name}/)`;
  console.warn(`\n!!! SKIPPED "${title}": ${why}\n`);
  // The body is not collected: it reads the dataset while vitest collects, even inside describe.skip.
  describe(`${title} [SKIPPED: ${why}]`, () => it.skip(`needs ${name}/`, () => {}));
}
