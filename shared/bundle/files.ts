import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, join, normalize, sep } from 'node:path';
import type { z } from 'zod';
import type { modelFileSchema } from './manifest.js';

export type ModelFile = z.infer<typeof modelFileSchema>;

/** Lowercase hex sha256 of a file's bytes, streamed (model files can be large). */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** The manifest entry for a file the trainer wrote into the bundle directory (`relPath` relative to `dir`). */
export async function modelFileEntry(dir: string, relPath: string): Promise<ModelFile> {
  const path = join(dir, relPath);
  const [sha256, info] = await Promise.all([sha256File(path), stat(path)]);
  return { path: relPath, sha256, bytes: info.size };
}

/** True when `relPath` names a file inside the bundle directory (no absolute path, no `..`). */
export function staysInside(relPath: string): boolean {
  if (isAbsolute(relPath)) return false;
  const parts = normalize(relPath).split(sep);
  return !parts.includes('..');
}
