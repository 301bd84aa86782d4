// golden.json: a few windows the trainer scored, with the score each variant gave them. The device scores them
// again on its own engine at every load (runtime/self-test.ts) and refuses the bundle when the scores differ, or
// when the manifest's thresholds no longer separate the normal windows from the anomalous ones. Listed and
// hashed in the manifest (files.golden), so a signature covers it too.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ThrumError } from '../errors.js';
import { zodErrorMessage } from '../zod-errors.js';
import { type Manifest, MODEL_VARIANTS, type ModelVariant } from './manifest.js';
import type { Bundle } from './read.js';

export const GOLDEN_FILE = 'golden.json';
export const GOLDEN_SCHEMA_VERSION = 1;
export const GOLDEN_LABELS = ['normal', 'anomalous'] as const;
export type GoldenLabel = (typeof GOLDEN_LABELS)[number];

const goldenWindowSchema = z.object({
  label: z.enum(GOLDEN_LABELS),
  /** Base64 of little-endian float32 values (`size` of them): exact bits, a third of the size of JSON numbers. */
  values: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64'),
  /** The window's score per variant, measured by the trainer through runtime/ (the device's scoring code). */
  expected: z.object({ fp32: z.number().nonnegative(), int8: z.number().nonnegative() }),
});

export const goldenFileSchema = z.object({
  schemaVersion: z.literal(GOLDEN_SCHEMA_VERSION),
  /**
   * `samples`: raw windows (features.window samples x channels, interleaved), scored through the whole stream
   * pipeline, feature code included. `features`: normalized feature vectors (model inputs), for windows too
   * large to store raw (3 x 1024 samples is 12 KB a window).
   */
  input: z.enum(['samples', 'features']),
  /** float32 values per window. */
  size: z.number().int().positive(),
  windows: z.array(goldenWindowSchema).min(1),
});
export type GoldenFile = z.infer<typeof goldenFileSchema>;

export interface GoldenWindow {
  label: GoldenLabel;
  values: Float32Array;
  expected: Record<ModelVariant, number>;
}

export interface Golden {
  input: GoldenFile['input'];
  size: number;
  windows: GoldenWindow[];
}

/** Encodes golden windows as golden.json text. */
export function encodeGolden(golden: Golden): string {
  const file: GoldenFile = {
    schemaVersion: GOLDEN_SCHEMA_VERSION,
    input: golden.input,
    size: golden.size,
    windows: golden.windows.map((w) => ({
      label: w.label,
      values: encodeFloats(w.values),
      expected: w.expected,
    })),
  };
  return `${JSON.stringify(file, null, 1)}\n`;
}

/** The bundle's golden windows, or undefined for a bundle without golden.json (written before it existed). */
export async function readGolden(
  bundle: Pick<Bundle, 'goldenPath' | 'manifest'>,
): Promise<Golden | undefined> {
  const path = bundle.goldenPath;
  if (path === undefined) return undefined;
  const fix = 're-run `thrum train` to write a new bundle';
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new ThrumError('BAD_BUNDLE', `${path}: cannot read it (${(e as Error).message}); ${fix}`, {
      cause: e,
    });
  }
  const parsed = goldenFileSchema.safeParse(json);
  if (!parsed.success) {
    const detail = zodErrorMessage(parsed.error, { input: json, schema: goldenFileSchema });
    throw new ThrumError('BAD_BUNDLE', `${path}: ${detail}; ${fix}`, { cause: parsed.error });
  }
  const { input, size, windows } = parsed.data;
  const golden: Golden = {
    input,
    size,
    windows: windows.map((w, i) => {
      const values = decodeFloats(w.values);
      if (values.length !== size || !values.every(Number.isFinite)) {
        throw new ThrumError(
          'BAD_BUNDLE',
          `${path}: windows[${i}].values holds ${values.length} float32 values (finite: ${values.every(Number.isFinite)}), expected ${size} finite ones; ${fix}`,
        );
      }
      return { label: w.label, values, expected: w.expected };
    }),
  };
  const expectedSize = goldenInputSize(bundle.manifest, input);
  if (size !== expectedSize) {
    throw new ThrumError(
      'BAD_BUNDLE',
      `${path}: size is ${size} but the manifest's ${input === 'samples' ? 'window x channels' : 'model.inputSize'} is ${expectedSize}: golden.json belongs to another bundle; ${fix}`,
    );
  }
  return golden;
}

/** float32 values per golden window of the given kind, for this manifest. */
export function goldenInputSize(manifest: Manifest, input: Golden['input']): number {
  return input === 'samples'
    ? manifest.features.window * manifest.features.channels
    : manifest.model.inputSize;
}

/**
 * The threshold rule: every golden normal window scores at or below the variant's threshold and every golden
 * anomalous window above it. The trainer only picks windows at least 1 % clear of both variants' thresholds
 * (trainer/golden), far beyond the scores' tolerance, so a bundle as trained always passes; a threshold that was
 * edited (1e9 never alerts, 0 always does) or that belongs to another model fails. `scores` gives, per variant
 * checked, one score per golden window: measured on this engine for the variant that runs, the trainer's
 * expected scores for the other. Returns `field: what is wrong` problems.
 */
export function thresholdProblems(
  manifest: Manifest,
  golden: Golden,
  scores: Partial<Record<ModelVariant, ArrayLike<number>>>,
): string[] {
  const problems: string[] = [];
  for (const variant of MODEL_VARIANTS) {
    const s = scores[variant];
    if (!s) continue;
    const { threshold } = manifest.variants[variant];
    const above = (label: GoldenLabel) =>
      golden.windows.flatMap((w, i) => (w.label === label && s[i]! > threshold ? [s[i]!] : []));
    const below = (label: GoldenLabel) =>
      golden.windows.flatMap((w, i) => (w.label === label && !(s[i]! > threshold) ? [s[i]!] : []));
    const count = (label: GoldenLabel) => golden.windows.filter((w) => w.label === label).length;
    const at = `variants.${variant}.threshold ${threshold}`;
    const normalAbove = above('normal');
    if (normalAbove.length > 0) {
      problems.push(
        `${at} is below ${normalAbove.length} of ${count('normal')} golden normal windows (highest score ${fmt(Math.max(...normalAbove))}): it would alert on normal data`,
      );
    }
    const anomalousBelow = below('anomalous');
    if (anomalousBelow.length > 0) {
      problems.push(
        `${at} is above ${anomalousBelow.length} of ${count('anomalous')} golden anomalous windows (lowest score ${fmt(Math.min(...anomalousBelow))}): it would miss faults the trainer detected`,
      );
    }
  }
  return problems;
}

const fmt = (x: number) => x.toPrecision(4);

export function encodeFloats(values: Float32Array): string {
  const bytes = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) bytes.writeFloatLE(values[i]!, i * 4);
  return bytes.toString('base64');
}

export function decodeFloats(base64: string): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  const out = new Float32Array(Math.floor(bytes.length / 4));
  for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}
