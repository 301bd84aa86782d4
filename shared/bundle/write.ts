import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ThrumError } from '../errors.js';
import { zodErrorMessage } from '../zod-errors.js';
import { manifestProblems } from './consistency.js';
import { type Manifest, manifestSchema } from './manifest.js';
import { MANIFEST_FILE } from './read.js';

/**
 * Validates a manifest (schema and consistency, as readBundle will) and writes it into the bundle directory
 * atomically, so a crash never leaves half a manifest. Write the model files first: their entries carry
 * hashes (see modelFileEntry). Returns the manifest's path.
 */
export async function writeManifest(dir: string, manifest: Manifest): Promise<string> {
  const result = manifestSchema.safeParse(manifest);
  if (!result.success) {
    const detail = zodErrorMessage(result.error, { input: manifest, schema: manifestSchema });
    throw new ThrumError('BAD_BUNDLE', `refusing to write an invalid ${MANIFEST_FILE}: ${detail}`);
  }
  const problems = manifestProblems(result.data);
  if (problems.length > 0) {
    throw new ThrumError(
      'BAD_BUNDLE',
      `refusing to write an inconsistent ${MANIFEST_FILE}: ${problems.join('; ')}`,
    );
  }
  const path = join(dir, MANIFEST_FILE);
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(result.data, null, 2)}\n`);
  await rename(tmp, path);
  return path;
}
