// Chooses the one SKAB configuration for all 34 files by cross-validation across files, and logs every candidate
// with its figures. Usage: tsx eval/quality/skab-tune.ts [--data DIR] [--cache DIR] [--out PREFIX]
//
// Procedure (fixed before looking at the results of the grid):
// - folds: within each SKAB group (valve1, valve2, other), in manifest order, files at even positions form the
//   tuning fold, files at odd positions the check fold (17 + 17 files; every fault family in both);
// - each model candidate is trained per file on rows 0-399 exactly as the protocol does (runSkabFile) and its
//   window scores are cached; thresholds and detector rules are then swept on those scores with the protocol's
//   own decision code (threshold rule on the training slice, shared detector, row rule);
// - selection uses int8 and the TUNING fold only: the highest tuning-fold F1 among combinations whose tuning-fold
//   FAR and MAR both beat the published Conv-AE (13.55 %, 28.02 %); the check fold and all 34 files are
//   reported, never used to choose. Labels of test rows are used only to score candidates, pooled over a fold,
//   never to set a per-file parameter;
// - stage 2 (added after stage 1's seed check showed F1 moving by 0.04 between seeds): the best 4 model
//   candidates are retrained with seeds 2 and 3 and the choice is made on tuning-fold figures averaged over
//   seeds 1-3, with the same rule; stage 3 ships the seed of 1-3 whose tuning-fold figures rank best.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { DetectorRule } from '../../shared/bundle/manifest.js';
import { findDataset } from '../datasets-dir.js';
import type { BinaryMetrics } from '../metrics.js';
import { skabEntries } from '../skab/dataset.js';
import { describeConfig } from '../skab/format.js';
import { SKAB_LEADERBOARD } from '../skab/leaderboard.js';
import type { QuantileRule } from '../threshold-rule.js';
import {
  DETECTOR_CANDIDATES,
  MODEL_CANDIDATES,
  type ModelCandidate,
  THRESHOLD_CANDIDATES,
} from './tune/candidates.js';
import { foldOf } from './tune/folds.js';
import { scoresFor } from './tune/score-cache.js';
import { evaluateCombo, type FoldMetrics, prepare } from './tune/sweep.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    cache: { type: 'string', default: '/tmp/thrum-skab-tune' },
    out: { type: 'string', default: 'bench/results/quality.tuning' },
    models: { type: 'string' },
  },
});

const dir = values.data ?? findDataset('skab');
if (!dir) {
  process.stderr.write('skab-tune: no SKAB folder; pass --data DIR or set THRUM_DATASETS\n');
  process.exit(2);
}
const say = (line: string) => process.stderr.write(`${line}\n`);
const entries = skabEntries(dir);
const folds = foldOf(entries);
const convAe = SKAB_LEADERBOARD.find((r) => r.algorithm === 'Conv-AE') as { far: number; mar: number };

interface Combo {
  model: string;
  threshold: QuantileRule;
  detector: DetectorRule;
  int8: FoldMetrics;
}

const eligible = (m: BinaryMetrics) => m.far <= convAe.far && m.mar <= convAe.mar;
/** Higher is better: eligible first, then F1 on the tuning fold. */
const rank = (c: Combo) => (eligible(c.int8.tune) ? 1 : 0) * 10 + c.int8.tune.f1;

const models = values.models
  ? MODEL_CANDIDATES.filter((m) => values.models?.split(',').includes(m.name))
  : MODEL_CANDIDATES;
const combos: Combo[] = [];
const bestPerModel: { candidate: ModelCandidate; best: Combo; fp32: FoldMetrics; trainS: number }[] = [];
for (const [i, candidate] of models.entries()) {
  say(`[${i + 1}/${models.length}] ${candidate.name}`);
  const files = await scoresFor(candidate, dir, entries, values.cache as string, say);
  const int8 = prepare(files, 'int8');
  const mine: Combo[] = [];
  for (const threshold of THRESHOLD_CANDIDATES) {
    for (const detector of DETECTOR_CANDIDATES) {
      mine.push({
        model: candidate.name,
        threshold,
        detector,
        int8: evaluateCombo(int8, folds, threshold, detector),
      });
    }
  }
  mine.sort((a, b) => rank(b) - rank(a));
  const best = mine[0];
  const fp32 = evaluateCombo(prepare(files, 'fp32'), folds, best.threshold, best.detector);
  const trainS = files.reduce((s, f) => s + f.trainMs, 0) / 1000;
  bestPerModel.push({ candidate, best, fp32, trainS });
  combos.push(...mine);
  say(`  best: ${line(best.int8.tune)} tune | ${line(best.int8.check)} check | ${line(best.int8.all)} all`);
}
combos.sort((a, b) => rank(b) - rank(a));
const stage1 = combos[0];

// Stage 2: one seed is not enough to choose (a 2-unit bottleneck on 400 rows depends on its initialization, and a
// seed initializes all 34 models alike, so its luck does not average out over files). The best STAGE2_MODELS
// candidates of stage 1 are retrained with seeds 2 and 3, and every combination is ranked by its tuning-fold
// figures averaged over seeds 1-3, with the same rule.
const STAGE2_MODELS = 4;
const SEEDS = [1, 2, 3];
const finalists = [...bestPerModel]
  .sort((a, b) => rank(b.best) - rank(a.best))
  .slice(0, STAGE2_MODELS)
  .map((b) => b.candidate);
const averaged: SeedCombo[] = [];
for (const candidate of finalists) {
  const runs = [];
  for (const seed of SEEDS) {
    const seeded =
      seed === 1
        ? candidate
        : { ...candidate, name: `${candidate.name}-seed${seed}`, train: { ...candidate.train, seed } };
    say(`stage 2: ${seeded.name}`);
    runs.push(prepare(await scoresFor(seeded, dir, entries, values.cache as string, say), 'int8'));
  }
  for (const threshold of THRESHOLD_CANDIDATES) {
    for (const detector of DETECTOR_CANDIDATES) {
      const perSeed = runs.map((r) => evaluateCombo(r, folds, threshold, detector));
      averaged.push({ model: candidate.name, threshold, detector, int8: meanOf(perSeed), perSeed });
    }
  }
}
averaged.sort((a, b) => rank(b) - rank(a));
const chosen = averaged[0];
const chosenModel = models.find((m) => m.name === chosen.model) as ModelCandidate;

interface SeedCombo extends Combo {
  perSeed: FoldMetrics[];
}

/** Fold metrics averaged over seeds (F1, FAR and MAR each the mean of the per-seed pooled figures). */
function meanOf(perSeed: FoldMetrics[]): FoldMetrics {
  const avg = (fold: keyof FoldMetrics): BinaryMetrics => {
    const m = (k: 'f1' | 'far' | 'mar' | 'tp' | 'fp' | 'tn' | 'fn') =>
      perSeed.reduce((sum, x) => sum + x[fold][k], 0) / perSeed.length;
    return { tp: m('tp'), fp: m('fp'), tn: m('tn'), fn: m('fn'), f1: m('f1'), far: m('far'), mar: m('mar') };
  };
  return { tune: avg('tune'), check: avg('check'), all: avg('all') };
}

function line(m: BinaryMetrics): string {
  return `F1 ${m.f1.toFixed(3)} FAR ${m.far.toFixed(1)} MAR ${m.mar.toFixed(1)}`;
}
const cells = (m: BinaryMetrics) => `${m.f1.toFixed(3)} | ${m.far.toFixed(1)} | ${m.mar.toFixed(1)}`;
const rule = (d: DetectorRule) =>
  `${d.k}/${d.n}, clear ${d.clearRatio}×${d.minClearWindows}${d.clearPeakRatio ? ` or ${d.clearPeakRatio}×peak` : ''}, cooldown ${d.cooldownWindows}`;
const thr = (t: QuantileRule) => `${+t.factor.toFixed(3)} × q${t.quantile}`;

// Stage 3: the seed shipped is, of seeds 1-3, the one whose tuning-fold figures rank best by the same rule (a
// seed is a hyperparameter like any other; the check fold says whether the choice carried over).
const seedRanks = chosen.perSeed.map((m, i) => ({ seed: SEEDS[i], score: rank({ ...chosen, int8: m }) }));
const shippedSeed = seedRanks.reduce((a, b) => (b.score > a.score ? b : a)).seed;
const shippedModel = {
  ...chosenModel,
  name: shippedSeed === 1 ? chosenModel.name : `${chosenModel.name}-seed${shippedSeed}`,
  train: { ...chosenModel.train, seed: shippedSeed },
};
const shipped = await scoresFor(shippedModel, dir, entries, values.cache as string, say);
const chosenConfig = {
  channels: chosenModel.channels,
  train: { ...chosenModel.train, seed: shippedSeed },
  threshold: chosen.threshold,
  detector: chosen.detector,
};
const shippedInt8 = evaluateCombo(prepare(shipped, 'int8'), folds, chosen.threshold, chosen.detector);
const shippedFp32 = evaluateCombo(prepare(shipped, 'fp32'), folds, chosen.threshold, chosen.detector);
const count = (f: string) => [...folds.values()].filter((x) => x === f).length;
const md = [
  '# SKAB tuning log (cross-validation across files)',
  '',
  `Generated by \`tsx eval/quality/skab-tune.ts\` on ${new Date().toISOString().slice(0, 10)}; dataset ${dir}.`,
  '',
  'Folds: within each group (valve1, valve2, other), in manifest order, even positions tune and odd positions',
  `check (${count('tune')} + ${count('check')} files). Per model candidate, every file is trained on its rows 0-399 and`,
  `streamed with both variants (the protocol code); then ${THRESHOLD_CANDIDATES.length} threshold rules × ${DETECTOR_CANDIDATES.length} detector rules are`,
  "swept on the cached window scores with the protocol's decision code. Selection uses int8 and the tuning fold",
  'only: the best tuning-fold F1 among combinations whose tuning-fold FAR and MAR both beat Conv-AE (13.55 %,',
  '28.02 %). Stage 1 ranks every model candidate with seed 1; stage 2 retrains the best',
  `${STAGE2_MODELS} with seeds 2 and 3 and ranks every combination by its tuning-fold figures averaged over seeds 1-3;`,
  'stage 3 ships the seed (of 1-3) whose tuning-fold figures rank best. Check-fold and all-34 figures are',
  'reported, never used to choose. The spread over seeds is the honest uncertainty of the shipped figure;',
  '`pca-*` candidates (`--model pca`) are fitted in closed form, so their seeds give identical figures.',
  '',
  `## Chosen (stages 2-3): ${chosen.model}, threshold ${thr(chosen.threshold)}, detector ${rule(chosen.detector)}`,
  '',
  `\`${describeConfig(chosenConfig)}\``,
  '',
  '| files | F1 | FAR, % | MAR, % |',
  '|---|---|---|---|',
  `| tuning fold, mean of seeds 1-3 (int8) | ${cells(chosen.int8.tune)} |`,
  `| check fold, mean of seeds 1-3 (int8) | ${cells(chosen.int8.check)} |`,
  `| all 34, mean of seeds 1-3 (int8) | ${cells(chosen.int8.all)} |`,
  ...chosen.perSeed.map((m, i) => `| all 34, seed ${SEEDS[i]} (int8) | ${cells(m.all)} |`),
  `| tuning fold, shipped seed ${shippedSeed} (int8) | ${cells(shippedInt8.tune)} |`,
  `| check fold, shipped seed ${shippedSeed} (int8) | ${cells(shippedInt8.check)} |`,
  `| **all 34, shipped seed ${shippedSeed}, int8** | ${cells(shippedInt8.all)} |`,
  `| **all 34, shipped seed ${shippedSeed}, fp32** | ${cells(shippedFp32.all)} |`,
  '',
  `Stage 1 alone (seed 1 only) would have chosen ${stage1.model}, ${thr(stage1.threshold)}, ${rule(stage1.detector)}: ` +
    `tune ${line(stage1.int8.tune)}, check ${line(stage1.int8.check)}, all ${line(stage1.int8.all)}.`,
  '',
  '## Stage 2: best combinations by the mean over seeds 1-3 (int8)',
  '',
  '| model | threshold | detector | tune (mean) | check (mean) | all 34 (mean) | all 34 F1 per seed |',
  '|---|---|---|---|---|---|---|',
  ...averaged
    .slice(0, 12)
    .map(
      (c) =>
        `| ${c.model} | ${thr(c.threshold)} | ${rule(c.detector)} | ${cells(c.int8.tune)} | ${cells(c.int8.check)} | ${cells(c.int8.all)} | ${c.perSeed.map((m) => m.all.f1.toFixed(3)).join(', ')} |`,
    ),
  '',
  '## Stage 1: best combination per model candidate (seed 1, chosen on the tuning fold, int8)',
  '',
  '| model | channels | train knobs | threshold | detector | tune F1 / FAR / MAR | check F1 / FAR / MAR | all 34 int8 | all 34 fp32 | train s (34 files) |',
  '|---|---|---|---|---|---|---|---|---|---|',
  ...bestPerModel.map(
    ({ candidate: c, best: b, fp32, trainS }) =>
      `| ${c.name} | ${c.channels?.length ?? 8} | ${JSON.stringify({ ...c.train, seed: undefined, patience: undefined })} | ${thr(b.threshold)} | ${rule(b.detector)} | ${cells(b.int8.tune)} | ${cells(b.int8.check)} | ${cells(b.int8.all)} | ${cells(fp32.all)} | ${trainS.toFixed(0)} |`,
  ),
  '',
  '## Stage 1: top 15 combinations overall (seed 1)',
  '',
  '| model | threshold | detector | tune | check | all 34 |',
  '|---|---|---|---|---|---|',
  ...combos
    .slice(0, 15)
    .map(
      (c) =>
        `| ${c.model} | ${thr(c.threshold)} | ${rule(c.detector)} | ${cells(c.int8.tune)} | ${cells(c.int8.check)} | ${cells(c.int8.all)} |`,
    ),
  '',
];
writeFileSync(`${values.out}.md`, `${md.join('\n')}\n`);
writeFileSync(
  `${values.out}.json`,
  `${JSON.stringify(
    {
      chosen: {
        ...chosen,
        config: chosenConfig,
        shipped: { seed: shippedSeed, int8: shippedInt8, fp32: shippedFp32 },
      },
      stage1: { ...stage1 },
      stage2Top: averaged.slice(0, 20),
      perModel: bestPerModel.map((b) => ({
        ...b.best,
        fp32: b.fp32,
        trainSeconds: b.trainS,
        candidate: b.candidate,
      })),
      stage1Top: combos.slice(0, 20),
    },
    null,
    1,
  )}\n`,
);
say(`chosen: ${chosen.model} ${thr(chosen.threshold)} ${rule(chosen.detector)}`);
say(
  `  mean of seeds 1-3, all 34: ${line(chosen.int8.all)}; shipped seed ${shippedSeed}: ${line(shippedInt8.all)}`,
);
say(`log written to ${values.out}.md and .json`);
