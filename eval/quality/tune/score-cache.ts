import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelVariant } from '../../../shared/bundle/manifest.js';
import { SKAB_CONFIG } from '../../skab/config.js';
import { loadSkabFile, type SkabEntry } from '../../skab/dataset.js';
import { runSkabFile } from '../../skab/run-file.js';
import type { ModelCandidate } from './candidates.js';

/** One file's window scores under one model candidate: what the sweep needs, nothing more. */
export interface CachedFile {
  file: string;
  labels: Uint8Array;
  /** Per variant: each window's endSample and score, in stream order. */
  variants: Record<ModelVariant, { end: Int32Array; score: Float64Array }>;
  trainMs: number;
}

const VARIANTS: ModelVariant[] = ['int8', 'fp32'];

function keyOf(c: ModelCandidate): string {
  const text = JSON.stringify({ channels: c.channels ?? null, train: c.train, v: 1 });
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/**
 * Trains each file's bundle for the candidate and streams the file through it with both variants (the real
 * protocol code, runSkabFile), keeping the window scores. Cached on disk by the candidate's settings, so a
 * re-run only trains what changed.
 */
export async function scoresFor(
  candidate: ModelCandidate,
  dir: string,
  entries: readonly SkabEntry[],
  cacheDir: string,
  say: (line: string) => void,
): Promise<CachedFile[]> {
  mkdirSync(cacheDir, { recursive: true });
  const path = join(cacheDir, `${candidate.name}-${keyOf(candidate)}.json`);
  if (existsSync(path)) return revive(JSON.parse(readFileSync(path, 'utf8')));
  const scratch = mkdtempSync(join(tmpdir(), 'thrum-tune-'));
  const config = { ...SKAB_CONFIG, channels: candidate.channels, train: candidate.train };
  const out: CachedFile[] = [];
  const started = performance.now();
  try {
    for (const entry of entries) {
      const bundleDir = join(scratch, entry.file.replace(/[/.]/g, '-'));
      const r = await runSkabFile(dir, entry, config, VARIANTS, bundleDir, loadSkabFile(dir, entry));
      const variants = {} as CachedFile['variants'];
      for (const v of VARIANTS) {
        const windows = r.variants[v]?.recording.windows ?? [];
        variants[v] = {
          end: Int32Array.from(windows, (w) => w.endSample),
          score: Float64Array.from(windows, (w) => w.score),
        };
      }
      out.push({ file: entry.file, labels: r.labels, variants, trainMs: r.trainMs });
      rmSync(bundleDir, { recursive: true, force: true });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  say(
    `  ${candidate.name}: ${entries.length} files trained and scored in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  writeFileSync(path, JSON.stringify(out.map(plain)));
  return out;
}

function plain(f: CachedFile) {
  return {
    file: f.file,
    trainMs: f.trainMs,
    labels: Array.from(f.labels),
    variants: Object.fromEntries(
      VARIANTS.map((v) => [
        v,
        { end: Array.from(f.variants[v].end), score: Array.from(f.variants[v].score) },
      ]),
    ),
  };
}

function revive(raw: ReturnType<typeof plain>[]): CachedFile[] {
  return raw.map((f) => ({
    file: f.file,
    trainMs: f.trainMs,
    labels: Uint8Array.from(f.labels),
    variants: Object.fromEntries(
      VARIANTS.map((v) => [
        v,
        { end: Int32Array.from(f.variants[v].end), score: Float64Array.from(f.variants[v].score) },
      ]),
    ) as CachedFile['variants'],
  }));
}
