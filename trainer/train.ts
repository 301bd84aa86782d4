import { accessSync, constants, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { selfTestBundle } from '../runtime/self-test.js';
import { GOLDEN_FILE } from '../shared/bundle/golden.js';
import { readPrivateKeyFile } from '../shared/bundle/key-files.js';
import type { Manifest } from '../shared/bundle/manifest.js';
import { readBundle } from '../shared/bundle/read.js';
import { type BundleSignature, SIGNATURE_FILE, signBundle } from '../shared/bundle/signature.js';
import { writeManifest } from '../shared/bundle/write.js';
import { ThrumError } from '../shared/errors.js';
import { buildManifest } from './bundle-manifest.js';
import { MODEL_FILES, writeGoldenFile, writeModels } from './bundle-writer.js';
import { calibrateVariants } from './calibration/calibrate-variants.js';
import { THRESHOLD_RULE, variantThreshold } from './calibration/variant-threshold.js';
import { buildGolden } from './golden/build-golden.js';
import { jitteredRanges, SCALE_JITTER } from './golden/stable-windows.js';
import { selectBackend } from './model/backend.js';
import { latentCodes } from './model/latent.js';
import { trainModel } from './model/train-model.js';
import { activationRanges } from './onnx/activation-ranges.js';
import { exportFp32 } from './onnx/export-fp32.js';
import { exportInt8 } from './onnx/export-int8.js';
import { optimizedOps } from './onnx/optimized-ops.js';
import { checkOptions, type TrainOptions, withDefaults } from './options.js';
import { prepareData, windowsIn } from './prepare-data.js';
import { progressFor } from './progress.js';
import { writeReport } from './report/write-report.js';
import { Stages } from './stages.js';
import type { TrainingSummary } from './summary.js';
import { trainingWarnings } from './warnings.js';

export type { TrainOptions } from './options.js';
export type { TrainingSummary } from './summary.js';

export interface TrainResult {
  dir: string;
  manifest: Manifest;
  summary: TrainingSummary;
  /** golden.json as the device's self-test checks it: windows per label; undefined when none qualified. */
  golden?: { input: 'samples' | 'features'; normal: number; anomalous: number };
  /** signature.json, with `sign`. */
  signature?: BundleSignature;
}

/** Fails fast (before minutes of training) when --out cannot become a directory; creates nothing. */
function checkOutDir(dir: string): void {
  let path = resolve(dir);
  while (!existsSync(path)) path = dirname(path);
  try {
    if (!statSync(path).isDirectory()) throw new Error(`${path} is a file`);
    accessSync(path, constants.W_OK);
  } catch (e) {
    const why = (e as Error).message;
    throw new ThrumError(
      'BAD_USAGE',
      `--out ${dir}: cannot write the bundle there (${why}); choose another path`,
      { cause: e },
    );
  }
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/**
 * Trains a bundle: load -> split by time -> normalization and features (shared/ code) -> fit the autoencoder
 * -> export ONNX fp32 and QDQ int8 -> calibrate each variant's threshold on held-out windows, scored by the
 * runtime the device runs (runtime/: ORT engine + scorer) -> model files, report, manifest.json (validated,
 * then read back as the device would).
 * Used by `thrum train`, tests, the demo and `thrum eval`.
 */
export async function trainBundle(options: TrainOptions): Promise<TrainResult> {
  checkOptions(options);
  const o = withDefaults(options);
  checkOutDir(o.out);
  const signingKey = o.sign === undefined ? undefined : readPrivateKeyFile(o.sign);
  const progress = progressFor(options);
  const stages = new Stages();
  const backendReady = selectBackend();

  const data = prepareData(options, o.holdout, o.valSplit, o.seed);
  const { spec, extractor, recordings } = data;
  const size = extractor.size;
  for (const r of recordings)
    progress.line(`${r.source}: ${r.samples.length / r.channels} samples; ${r.notes.join('; ')}`);
  const windows = {
    train: windowsIn(data.train, data),
    val: windowsIn(data.val, data),
    holdout: windowsIn(data.holdout, data),
    anomalous: windowsIn(data.anomalous, data),
  };
  progress.line(
    `features ${spec.kinds.join('+')}: window ${spec.window}, hop ${spec.hop}, ${size} values per window; ` +
      `windows: ${windows.train} train, ${windows.val} validation, ${windows.holdout} holdout`,
  );
  stages.mark('data');

  const backend = await backendReady;
  progress.line(
    o.model === 'pca'
      ? 'fitting pca (closed form: no epochs, no seed)'
      : `training ${o.model} on ${backend} backend (seed ${o.seed})`,
  );
  const trained = trainModel(data.train, data.val, data.holdout, size, { ...o, kind: o.model }, progress);
  const { fit, layers } = trained;
  progress.line(
    o.model === 'pca'
      ? `validation loss ${fit.valLoss[0].toFixed(5)}`
      : `${fit.epochsRun} epochs; best validation loss ${fit.valLoss[fit.bestEpoch - 1].toFixed(5)} at epoch ${fit.bestEpoch}`,
  );
  stages.mark('fit');

  const calibrationInput = windows.val > 0 ? data.val : data.train;
  const ranges = activationRanges(layers, calibrationInput, calibrationInput.length / size, o.int8Headroom);
  const models = { fp32: exportFp32(layers), int8: exportInt8(layers, ranges) };
  const jitteredInt8 = [1 - SCALE_JITTER, 1 + SCALE_JITTER].map((f) =>
    exportInt8(layers, jitteredRanges(ranges, f)),
  );
  const ops = { int8: await optimizedOps(models.int8), fp32: await optimizedOps(models.fp32) };
  stages.mark('export');

  const cal = await calibrateVariants(models, data.holdout, data.anomalous, extractor, o.targetFar);
  stages.mark('calibrate');

  mkdirSync(o.out, { recursive: true });
  const files = await writeModels(o.out, models);
  const threshold = (v: 'fp32' | 'int8') => variantThreshold(cal.variants[v], o.targetFar, spec);
  const summary: TrainingSummary = {
    backend,
    durationMs: stages.total(),
    stageMs: stages.ms,
    data: {
      sources: recordings.map((r) => r.source),
      notes: recordings.flatMap((r) => r.notes.map((n) => `${r.source}: ${n}`)),
      channelNames: recordings[0].names,
      sampleRate: recordings[0].sampleRate,
      samplesPerChannel: data.samplesPerChannel,
    },
    windows,
    model: {
      kind: o.model,
      widths: trained.widths,
      parameters: trained.parameters,
      denoise: o.denoise,
      epochsRun: fit.epochsRun,
      bestEpoch: fit.bestEpoch,
      stoppedEarly: fit.stoppedEarly,
      loss: fit.loss,
      valLoss: fit.valLoss,
    },
    exportParityMaxAbs: maxAbsDiff(trained.checkRecon, cal.holdoutRecon),
    files: { fp32: { bytes: files.fp32.bytes }, int8: { bytes: files.int8.bytes } },
    thresholds: {
      rule: THRESHOLD_RULE,
      targetFar: o.targetFar,
      farResolution: 1 / windows.holdout,
      fp32: threshold('fp32'),
      int8: threshold('int8'),
    },
    int8: {
      ...cal.agreement,
      headroom: o.int8Headroom,
      activationRanges: ranges,
      optimizedOps: ops.int8,
      fp32OptimizedOps: ops.fp32,
    },
    warnings: [],
  };
  summary.warnings = trainingWarnings(
    summary,
    o.targetFar,
    data.trainSegments,
    spec.channels,
    recordings[0].names,
  );
  const manifest = buildManifest({
    data,
    kind: o.model,
    files,
    calibration: cal,
    detector: o.detector,
    seed: o.seed,
    summary,
    createdAt: new Date(),
  });
  // A signature or golden file of an earlier bundle in --out would not match this one.
  for (const stale of [SIGNATURE_FILE, GOLDEN_FILE]) rmSync(join(o.out, stale), { force: true });
  const golden = await buildGolden({ dir: o.out, manifest, data, calibration: cal, jitteredInt8 });
  if (golden) manifest.files.golden = await writeGoldenFile(o.out, golden);
  else
    summary.warnings.push(
      'no window qualified as golden (clear of both thresholds): the device skips its self-test',
    );
  stages.mark('golden');

  if (o.report !== false) {
    const windowSet = (features: Float32Array, recon: Float32Array, set: 'holdout' | 'anomalous') => ({
      features,
      recon,
      codes: latentCodes(trained.encoder, features),
      scores: { fp32: cal.variants.fp32.scores[set], int8: cal.variants.int8.scores[set] },
    });
    writeReport(o.out, {
      manifest,
      summary,
      extractor,
      holdout: windowSet(data.holdout, cal.holdoutRecon, 'holdout'),
      anomalous: windowSet(data.anomalous, cal.anomalousRecon, 'anomalous'),
    });
    stages.mark('report');
  }
  summary.durationMs = stages.total();
  manifest.training.durationMs = summary.durationMs;
  await writeManifest(o.out, manifest);
  // Read back through the device's own loader and self-test: a bundle the device would refuse never leaves the
  // trainer. Signed last, over the manifest as it stands on disk.
  const bundle = await readBundle(o.out);
  const failed = (await selfTestBundle(bundle))?.find((r) => !r.ok);
  // The trainer picked and scored the golden windows itself: a failure here is a bug, not bad input.
  if (failed)
    throw new Error(`trainer: the written bundle fails its ${failed.variant} self-test: ${failed.reason}`);
  const signature = signingKey ? await signBundle(o.out, signingKey) : undefined;
  const written = bundle.manifest;
  for (const w of summary.warnings) progress.line(`warning: ${w}`);
  progress.line(
    `bundle written to ${o.out} in ${(summary.durationMs / 1000).toFixed(1)} s ` +
      `(${MODEL_FILES.fp32} ${files.fp32.bytes} B, ${MODEL_FILES.int8} ${files.int8.bytes} B)`,
  );
  const count = (label: string) => golden?.windows.filter((w) => w.label === label).length ?? 0;
  return {
    dir: o.out,
    manifest: written,
    summary,
    golden: golden && { input: golden.input, normal: count('normal'), anomalous: count('anomalous') },
    signature,
  };
}
