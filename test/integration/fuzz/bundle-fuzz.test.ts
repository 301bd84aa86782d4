import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkBundle, effectiveDetector } from '../../../device/check-config.js';
import { checkModelsLoad } from '../../../device/check-models.js';
import { type Config, loadConfig } from '../../../device/config/load-config.js';
import { ortEngineFactory } from '../../../runtime/engines/ort-engine.js';
import type { InferenceEngine } from '../../../runtime/scoring/inference-engine.js';
import { createScorer } from '../../../runtime/scoring/scorer.js';
import { streamScores } from '../../../runtime/stream-scores.js';
import { runToken } from '../../../scripts/process/run-token.js';
import { MODEL_VARIANTS } from '../../../shared/bundle/manifest.js';
import { ThrumError } from '../../../shared/errors.js';
import { FeatureExtractor } from '../../../shared/features/extractor.js';
import { makeBundle, syntheticVibration } from '../../fixtures/make-bundle.js';
import { runThrumAsync, STACK_LINE } from '../../helpers/thrum-cli.js';
import { FUZZ_RUNS, LINE_BREAK, MAX_MESSAGE_CHARS, SPAWNED_CASES } from './fuzz-runs.js';

// Bundle fuzzer (#13): a small real bundle made once, then per case random bytes or a mutation of one of its
// manifest fields or model files (with the manifest's sha256 and size made to match, so only loading the model
// can tell). The bundle check of `--check-config` (readBundle with every hash, the fit to the config, the
// detector overrides, each model loaded and run once by ONNX Runtime) must pass or throw a one-line ThrumError,
// and a pass must mean the runtime opens the bundle and scores a window with it, as the daemon does.

const root = mkdtempSync(join(tmpdir(), `thrum-bundle-fuzz-${runToken()}-`));
let base: { manifest: Json; models: Record<string, Buffer> };
let config: Config;
let counter = 0;

// biome-ignore lint/suspicious/noExplicitAny: manifests are mutated into anything on purpose
type Json = any;

beforeAll(async () => {
  const dir = (await makeBundle({ dir: join(root, 'base'), seconds: 10, epochs: 2 })).dir;
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  base = {
    manifest,
    models: Object.fromEntries(
      // Every file the manifest lists (the models and the golden windows) is copied with it.
      Object.values(manifest.files as Record<string, { path: string }>).map((f) => [
        f.path,
        readFileSync(join(dir, f.path)),
      ]),
    ),
  };
  const file = join(root, 'thrum.yaml');
  writeFileSync(
    file,
    stringify({
      device: { id: 'fuzz-1' },
      serial: { path: '/dev/ttyUSB9', baudRate: 921600, channels: 3, sampleRate: 800 },
      model: { bundle: dir, variant: 'auto' },
      mqtt: { url: 'mqtt://127.0.0.1:1' },
      outbox: { path: join(root, 'outbox.db') },
    }),
  );
  config = loadConfig(file, {});
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Every path into the manifest (objects, arrays, leaves), grouped by shape so long arrays do not dominate. */
function pathsOf(value: Json, at: (string | number)[] = [], out = new Map<string, (string | number)[][]>()) {
  const shape = at.map((k) => (typeof k === 'number' ? '[]' : k)).join('.');
  out.set(shape, [...(out.get(shape) ?? []), at]);
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value))
      pathsOf(v, [...at, Array.isArray(value) ? Number(k) : k], out);
  }
  return out;
}

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -0,
    -1,
    1,
    0.5,
    2,
    7,
    64,
    1e308,
    -1e308,
    1e-320,
    2 ** 31,
    2 ** 53 + 2,
    1e9,
    '',
    'x',
    '0',
    [],
    {},
  ),
  fc.constantFrom(
    'model.onnx',
    'model.int8.onnx',
    '../model.onnx',
    '/etc/passwd',
    '.',
    'sub',
    'link.onnx',
    'a\u0000b',
    'nope.onnx',
    'sub/../model.onnx',
  ),
  fc.double(),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.double({ noNaN: true }), { maxLength: 40 }),
  fc.jsonValue({ maxDepth: 2 }),
  fc.integer({ min: 1, max: 200 }).map((d) => JSON.parse(`${'['.repeat(d)}${']'.repeat(d)}`)),
);

type Change = (old: unknown) => { set?: unknown; remove?: boolean };

/** How a value in the manifest changes: replaced, nudged (numbers), resized (arrays), removed. */
const mutation: fc.Arbitrary<Change> = fc.oneof(
  { weight: 4, arbitrary: hostile.map((v) => (_old: unknown) => ({ set: v })) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(1, -1, 2, 0.5, 1e-9, 1e6, -1e6).map((d) => (old: unknown) => {
      if (typeof old !== 'number') return { set: old };
      return { set: d === 1 || d === -1 || d === 1e6 || d === -1e6 ? old + d : old * d };
    }),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom('pop', 'push', 'empty', 'reverse').map((op) => (old: unknown) => {
      if (!Array.isArray(old)) return { set: old };
      const a = [...old];
      if (op === 'pop') a.pop();
      else if (op === 'push') a.push(a.at(-1) ?? 0);
      else if (op === 'empty') a.length = 0;
      else a.reverse();
      return { set: a };
    }),
  },
  { weight: 1, arbitrary: fc.constant((_old: unknown) => ({ remove: true })) },
);

type ModelEdit = {
  kind: 'flip' | 'truncate' | 'append' | 'random' | 'empty' | 'swap';
  at: number;
  bytes: Uint8Array;
};

interface BundleCase {
  manifestEdits: Array<{
    pick: number;
    index: number;
    change: (old: unknown) => { set?: unknown; remove?: boolean };
  }>;
  modelEdit?: { variant: 'int8' | 'fp32'; edit: ModelEdit; fixHash: boolean };
  manifestText?: string;
}

const modelEditArb: fc.Arbitrary<ModelEdit> = fc.record({
  kind: fc.constantFrom('flip', 'flip', 'truncate', 'append', 'random', 'empty', 'swap'),
  at: fc.nat(),
  bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }),
});

const caseArb: fc.Arbitrary<BundleCase> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      manifestEdits: fc.array(fc.record({ pick: fc.nat(), index: fc.nat(), change: mutation }), {
        minLength: 1,
        maxLength: 3,
      }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      manifestEdits: fc.constant<BundleCase['manifestEdits']>([]),
      modelEdit: fc.record({
        variant: fc.constantFrom('int8' as const, 'fp32' as const),
        edit: modelEditArb,
        fixHash: fc.boolean(),
      }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      manifestEdits: fc.constant<BundleCase['manifestEdits']>([]),
      manifestText: fc.oneof(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      ),
    }),
  },
);

function setAt(root: Json, path: (string | number)[], change: { set?: unknown; remove?: boolean }): void {
  if (path.length === 0) return;
  let node = root;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return;
    node = node[key];
  }
  if (node === null || typeof node !== 'object') return;
  const last = path.at(-1)!;
  if (change.remove) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = change.set;
}

function editModel(bytes: Buffer, edit: ModelEdit, other: Buffer): Buffer {
  const at = bytes.length === 0 ? 0 : edit.at % bytes.length;
  switch (edit.kind) {
    case 'flip': {
      const b = Buffer.from(bytes);
      for (let i = 0; i < edit.bytes.length && at + i < b.length; i++) b[at + i]! ^= edit.bytes[i]! | 1;
      return b;
    }
    case 'truncate':
      return bytes.subarray(0, at);
    case 'append':
      return Buffer.concat([bytes, edit.bytes]);
    case 'random':
      return Buffer.from(edit.bytes);
    case 'empty':
      return Buffer.alloc(0);
    case 'swap':
      return other;
  }
}

/**
 * Writes the case's bundle into `dir` and returns it: a fresh directory, or by default the one reused for every
 * in-process case (its files are overwritten; creating and removing 10,000 directories costs more than the checks).
 */
function materialize(c: BundleCase, dir = join(root, 'case')): string {
  if (!existsSync(dir)) {
    mkdirSync(join(dir, 'sub'), { recursive: true });
    symlinkSync(join(dir, 'model.onnx'), join(dir, 'link.onnx'));
  }
  const manifest = structuredClone(base.manifest);
  const models: Record<string, Buffer> = { ...base.models };
  if (c.modelEdit) {
    const { variant, edit, fixHash } = c.modelEdit;
    const name = manifest.files[variant].path;
    const other = manifest.files[variant === 'int8' ? 'fp32' : 'int8'].path;
    models[name] = editModel(models[name]!, edit, base.models[other]!);
    if (fixHash) {
      manifest.files[variant].sha256 = createHash('sha256').update(models[name]!).digest('hex');
      manifest.files[variant].bytes = models[name]!.length;
    }
  }
  // `training` is free-form provenance nobody reads at run time: aim elsewhere but for the whole subtree.
  const groups = [...pathsOf(manifest).entries()]
    .filter(([shape]) => !shape.startsWith('training.'))
    .map(([, paths]) => paths);
  for (const e of c.manifestEdits) {
    const paths = groups[e.pick % groups.length]!;
    const path = paths[e.index % paths.length]!;
    let old: unknown = manifest;
    for (const k of path) old = (old as Json)?.[k];
    setAt(manifest, path, e.change(old));
  }
  for (const [name, bytes] of Object.entries(models)) writeFileSync(join(dir, name), bytes);
  writeFileSync(join(dir, 'manifest.json'), c.manifestText ?? JSON.stringify(manifest));
  return dir;
}

/** What `--check-config` does with the bundle: undefined when it passes, else its (one-line) ThrumError. */
async function checkAsCheckConfig(dir: string): Promise<ThrumError | undefined> {
  const cfg: Config = { ...config, model: { ...config.model, bundle: dir, variant: 'auto' } };
  try {
    const { bundle, variants } = await checkBundle(cfg);
    await checkModelsLoad(bundle, variants, ortEngineFactory(bundle));
    return undefined;
  } catch (err) {
    if (!(err instanceof ThrumError))
      throw new Error(`not a ThrumError: ${(err as Error)?.stack ?? String(err)}`);
    expect(err.exitCode, err.message).toBe(2);
    expect(err.message, JSON.stringify(err.message)).not.toMatch(LINE_BREAK);
    expect(err.message.length, err.message.slice(0, 300)).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    return err;
  }
}

const window = syntheticVibration({ seconds: 1, seed: 5 });

/**
 * ONNX Runtime sessions of the runtime side, by model bytes and the manifest's model io: the same file with the
 * same names opens the same way, and loading it again per case would make 10,000 cases take minutes. (The check
 * side loads every model of every case afresh: that is what is under test.)
 */
const engines = new Map<string, InferenceEngine>();
afterAll(async () => {
  for (const engine of engines.values()) await engine.close();
});

/** Opens the bundle the way the daemon does and scores a second of vibration with each variant. */
async function openAsDaemon(dir: string): Promise<void> {
  const cfg: Config = { ...config, model: { ...config.model, bundle: dir, variant: 'auto' } };
  const { bundle } = await checkBundle(cfg);
  const { manifest } = bundle;
  for (const variant of MODEL_VARIANTS) {
    effectiveDetector(cfg, bundle, variant);
    const { inputName, outputName, inputSize } = manifest.model;
    const key = `${manifest.files[variant].sha256}/${inputName}/${outputName}/${inputSize}`;
    let engine = engines.get(key);
    if (!engine) {
      engine = await ortEngineFactory(bundle)(variant);
      engines.set(key, engine);
    }
    const extractor = new FeatureExtractor(manifest.features, manifest.normalization, manifest.channelNames);
    await streamScores(window, manifest.features, extractor, createScorer(engine, extractor.groups));
  }
}

describe('bundle fuzzer', () => {
  it(`the bundle check passes or refuses with one line, and a pass opens in the runtime (${FUZZ_RUNS} cases)`, async () => {
    let passed = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const dir = materialize(c);
        const refusal = await checkAsCheckConfig(dir);
        if (refusal) refused++;
        else {
          passed++;
          await openAsDaemon(dir);
        }
      }),
      {
        numRuns: FUZZ_RUNS,
        seed: process.env.THRUM_FUZZ_SEED ? Number(process.env.THRUM_FUZZ_SEED) : undefined,
      },
    );
    console.log(
      `bundle fuzzer: ${FUZZ_RUNS} cases, ${passed} passed (and opened in the runtime), ${refused} refused with one line`,
    );
    expect(passed + refused).toBe(FUZZ_RUNS);
    expect(passed).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(FUZZ_RUNS / 2);
  }, 900_000);

  it(`thrum run --check-config agrees through the process: exit 2 + one line, or exit 0 (${SPAWNED_CASES} cases)`, async () => {
    const cases = fc.sample(caseArb, { numRuns: SPAWNED_CASES, seed: 7 });
    for (const c of cases) {
      const dir = materialize(c, join(root, `spawn-case-${counter++}`));
      const inProcess = await checkAsCheckConfig(dir);
      const file = join(root, `spawn-${counter++}.yaml`);
      writeFileSync(
        file,
        readFileSync(config.file, 'utf8').replace(/bundle: .*/, `bundle: ${JSON.stringify(dir)}`),
      );
      const r = await runThrumAsync(['run', '--config', file, '--check-config'], {}, 60_000);
      const shown = `exit ${r.code}\n${r.stderr}\nin process: ${inProcess?.message}`;
      expect(r.stderr + r.stdout, shown).not.toMatch(STACK_LINE);
      if (inProcess) {
        expect(r.code, shown).toBe(2);
        expect(r.stderr.trimEnd().split('\n'), shown).toHaveLength(1);
        expect(r.stderr, shown).toContain(inProcess.message.slice(0, 80));
      } else {
        expect(r.code, shown).toBe(0);
      }
      rmSync(dir, { recursive: true, force: true });
    }
  }, 900_000);
});
