import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import type { LabelSource } from '../../eval/labels.js';
import type { ModelVariant } from '../../shared/bundle/manifest.js';
import { ThrumError } from '../../shared/errors.js';
import { addDetectorFlags, type DetectorFlags, detectorRuleOf } from '../detector-flags.js';
import { list, number } from '../option-parsers.js';

interface EvalCliOptions extends DetectorFlags {
  bundle?: string;
  protocol?: string;
  data?: string[];
  labels?: string;
  labelFile?: string[];
  labelAll?: string;
  variant: ModelVariant | 'both';
  format?: 'csv' | 'f32';
  columns?: string[];
  fromRow?: number;
  predictions?: string;
  files?: string[];
  keepBundles?: string;
  json?: boolean;
  quiet?: boolean;
}

function labelSource(o: EvalCliOptions): LabelSource | undefined {
  const given = [o.labels, o.labelFile, o.labelAll].filter((x) => x !== undefined).length;
  if (given > 1)
    throw new ThrumError('BAD_USAGE', 'give one of --labels, --label-file and --label-all, not several');
  if (o.labels !== undefined) return { kind: 'column', column: o.labels };
  if (o.labelFile !== undefined) return { kind: 'files', files: o.labelFile };
  if (o.labelAll !== undefined) {
    if (o.labelAll !== '0' && o.labelAll !== '1') {
      throw new ThrumError(
        'BAD_USAGE',
        `--label-all must be 0 (normal) or 1 (anomalous), got '${o.labelAll}'`,
      );
    }
    return { kind: 'all', value: o.labelAll === '1' ? 1 : 0 };
  }
  return undefined;
}

async function evalBundle(o: EvalCliOptions): Promise<void> {
  if (!o.data?.length) throw new ThrumError('BAD_USAGE', '--data FILE... is required with --bundle');
  if (o.variant === 'both')
    throw new ThrumError('BAD_USAGE', '--variant both is for --protocol skab; pick int8 or fp32');
  if (o.predictions || o.files || o.keepBundles) {
    throw new ThrumError('BAD_USAGE', '--predictions, --files and --keep-bundles belong to --protocol skab');
  }
  const { evaluateFiles } = await import('../../eval/evaluate-files.js');
  const { formatReport } = await import('../../eval/format-report.js');
  const report = await evaluateFiles({
    bundle: o.bundle as string,
    data: o.data,
    labels: labelSource(o),
    variant: o.variant,
    rule: detectorRuleOf(o),
    format: o.format,
    columns: o.columns,
    fromRow: o.fromRow,
  });
  process.stdout.write(o.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
}

async function evalSkab(o: EvalCliOptions): Promise<void> {
  if (o.labels || o.labelFile || o.labelAll || o.fromRow !== undefined) {
    throw new ThrumError(
      'BAD_USAGE',
      '--protocol skab reads the labels and splits the files itself; drop the label options',
    );
  }
  const { findDataset } = await import('../../eval/datasets-dir.js');
  if ((o.data?.length ?? 0) > 1)
    throw new ThrumError('BAD_USAGE', '--protocol skab takes one --data folder (the SKAB folder)');
  const dir = o.data?.[0] ?? findDataset('skab');
  if (!dir) {
    throw new ThrumError(
      'BAD_USAGE',
      'no SKAB folder: pass --data DIR (the folder with manifest.csv and data/), or set THRUM_DATASETS',
    );
  }
  if (o.predictions) {
    // Checked before a run of minutes, not after it.
    const parent = dirname(resolve(o.predictions));
    if (!existsSync(parent) || !statSync(parent).isDirectory()) {
      throw new ThrumError(
        'BAD_USAGE',
        `--predictions ${o.predictions}: folder ${parent} does not exist; create it first`,
      );
    }
  }
  const { runSkabProtocol, predictionLines } = await import('../../eval/skab/protocol.js');
  const { formatSkab } = await import('../../eval/skab/format.js');
  const { skabJson } = await import('../../eval/skab/json.js');
  const variants: ModelVariant[] = o.variant === 'both' ? ['int8', 'fp32'] : [o.variant];
  const say = (line: string) => {
    if (!o.quiet) process.stderr.write(`${line}\n`);
  };
  say(`SKAB ${dir}: one bundle per file, trained on rows 0-399, streamed with ${variants.join(' and ')}`);
  const { SKAB_CONFIG } = await import('../../eval/skab/config.js');
  // Detector flags replace the shipped configuration's rule (for exploring it); the output names the rule used.
  const config = { ...SKAB_CONFIG, detector: { ...SKAB_CONFIG.detector, ...detectorRuleOf(o) } };
  const result = await runSkabProtocol({
    dir,
    variants,
    config,
    files: o.files,
    keepBundles: o.keepBundles,
    onProgress: say,
  });
  if (o.predictions) {
    writeFileSync(o.predictions, `${predictionLines(result, variants[0]).join('\n')}\n`);
    say(`predictions (${variants[0]}) written to ${o.predictions}`);
  }
  process.stdout.write(o.json ? `${JSON.stringify(skabJson(result, dir), null, 2)}\n` : formatSkab(result));
}

export function register(program: Command): void {
  const command = program
    .command('eval')
    .description(
      'score labelled data with a bundle through the device streaming code; F1/FAR/MAR/ROC-AUC; --protocol skab runs the SKAB benchmark',
    )
    .option('--bundle <dir>', 'model bundle to evaluate (the directory `thrum train` wrote)')
    .addOption(
      new Option('--protocol <name>', 'run a benchmark protocol instead of --bundle').choices(['skab']),
    )
    .option('--data <paths...>', 'data files (csv or f32); with --protocol skab: the SKAB folder')
    .option('--labels <column>', 'label column of the CSV data files (non-zero = anomalous), e.g. anomaly')
    .option('--label-file <files...>', 'one label file per data file: one 0/1 per data row, optional header')
    .option('--label-all <0|1>', 'every row of every data file has this label (whole-record labels)')
    .addOption(
      new Option('--variant <variant>', 'model variant to run (both: --protocol skab only)')
        .choices(['int8', 'fp32', 'both'])
        .default('int8'),
    )
    .addOption(
      new Option('--format <format>', 'data format (default: from the extension, .f32 = f32)').choices([
        'csv',
        'f32',
      ]),
    )
    .option('--columns <list>', "csv: columns to read (default: the bundle's channel names)", list)
    .option('--from-row <n>', 'count rows (and windows ending) from this 0-based row on (default 0)', number);
  const bundles = "default: the bundle's";
  addDetectorFlags(command, {
    k: bundles,
    n: bundles,
    clearRatio: bundles,
    clearPeakRatio: bundles,
    minClear: bundles,
    cooldown: bundles,
  })
    .option(
      '--predictions <file>',
      'skab: write file,row,pred for every test row to this CSV (int8 when --variant both)',
    )
    .option('--files <list>', 'skab: only these files (e.g. valve1/0.csv,other/5.csv)', list)
    .option('--keep-bundles <dir>', "skab: keep each file's bundle here (default: temporary, deleted)")
    .option('--json', 'print one JSON object instead of text')
    .option('--quiet', 'no progress lines on stderr')
    .addHelpText(
      'after',
      `
Scoring runs the daemon's own code: windows (shared windowing) -> features (shared FeatureExtractor) -> ONNX
Runtime (int8 by default, micro-batched as on the device) -> the shared detector (k-of-n, hysteresis,
cooldown). Each data file is its own stream, so no window spans two files.

Metrics: window level (a window's label = its last row's) and point level (row i takes the decision of the
latest window ending at or before row i: no later data; rows before the first window count as "no alert").
ROC-AUC ranks the window scores (ties count one half); F1 = TP/(TP+(FN+FP)/2), FAR = FP/(FP+TN)·100,
MAR = FN/(FN+TP)·100, for the detector's state (raised = anomalous) and for score > threshold alone.
--json prints windows, flagged (windows over the threshold), alerts (raised events), the metrics per file
and pooled, and every event.

--protocol skab: for each of the 34 labelled SKAB files, trains a bundle on rows 0-399 (normalization fitted
there), sets its threshold from those rows, streams the whole file and predicts each test row (400...).
Test rows of all files are pooled (the published SKAB outlier-detection protocol) and printed beside the
leaderboard. Default --data: $THRUM_DATASETS/skab, else ../shared/datasets/skab next to the repository.
The configuration is the one chosen by cross-validation (bench/results/quality.tuning.md); the detector
flags (--k, --n, --clear-ratio, --clear-peak-ratio, --min-clear, --cooldown) replace its rule, to explore.

Examples:
  thrum eval --bundle bundles/pump1 --data test.csv --labels anomaly
  thrum eval --bundle bundles/cwru --data 109_IR007_0hp_48k.DE.f32 --label-all 1 --json
  thrum eval --bundle b --data run1.csv run2.csv --label-file run1.labels run2.labels --variant fp32
  thrum eval --protocol skab --data ../shared/datasets/skab --predictions skab-predictions.csv
  thrum eval --protocol skab --variant both --files valve1/0.csv,other/9.csv
  thrum eval --protocol skab --clear-peak-ratio 0      # the shipped rule without the peak-relative clear`,
    )
    .action(async (opts: EvalCliOptions) => {
      if (opts.protocol === 'skab') {
        if (opts.bundle)
          throw new ThrumError('BAD_USAGE', '--protocol skab trains its own bundles: drop --bundle');
        await evalSkab(opts);
      } else if (opts.bundle) {
        await evalBundle(opts);
      } else {
        throw new ThrumError(
          'BAD_USAGE',
          'give --bundle DIR --data FILE... or --protocol skab (see thrum eval --help)',
        );
      }
    });
}
