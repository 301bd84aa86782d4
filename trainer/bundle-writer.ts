import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ModelFile, modelFileEntry } from '../shared/bundle/files.js';
import { encodeGolden, GOLDEN_FILE, type Golden } from '../shared/bundle/golden.js';
import type { Manifest, ModelVariant } from '../shared/bundle/manifest.js';

export const MODEL_FILES: Record<ModelVariant, string> = { fp32: 'model.onnx', int8: 'model.int8.onnx' };

/** Writes both ONNX files and returns the manifest's `files` section (hashes of the files as written). */
export async function writeModels(
  dir: string,
  models: Record<ModelVariant, Uint8Array>,
): Promise<Manifest['files']> {
  const files = {} as Manifest['files'];
  for (const variant of ['fp32', 'int8'] as const) {
    await writeFile(join(dir, MODEL_FILES[variant]), models[variant]);
    files[variant] = await modelFileEntry(dir, MODEL_FILES[variant]);
  }
  return files;
}

/** Writes golden.json and returns its manifest entry (files.golden). */
export async function writeGoldenFile(dir: string, golden: Golden): Promise<ModelFile> {
  await writeFile(join(dir, GOLDEN_FILE), encodeGolden(golden));
  return modelFileEntry(dir, GOLDEN_FILE);
}
