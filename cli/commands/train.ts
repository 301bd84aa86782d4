import { type Command, InvalidArgumentError, Option } from 'commander';
import { FEATURE_KINDS, type FeatureKind } from '../../shared/features/spec.js';
import { describeFalseAlarms } from '../../trainer/calibration/false-alarms.js';
import { DEFAULTS, type TrainOptions } from '../../trainer/options.js';
import type { TrainResult } from '../../trainer/train.js';
import { addDetectorFlags, type DetectorFlags, detectorRuleOf } from '../detector-flags.js';
import { list, number } from '../option-parsers.js';

const featureList = (value: string): FeatureKind[] => {
  const kinds = list(value);
  const bad = kinds.find((k) => !(FEATURE_KINDS as readonly string[]).includes(k));
  if (bad)
    throw new InvalidArgumentError(
      `'${bad}' is not a feature kind; use ${FEATURE_KINDS.join(', ')} (comma-combined).`,
    );
  return kinds as FeatureKind[];
};

const hzPair = (value: string): [number, number] => {
  const parts = list(value).map(number);
  if (parts.length !== 2) throw new InvalidArgumentError('expected lo,hi in Hz, e.g. 2000,6000.');
  return [parts[0], parts[1]];
};

interface CliOptions extends Omit<TrainOptions, 'detector' | 'data'>, DetectorFlags {
  data: string[];
  lr?: number;
  json?: boolean;
}

function printSummary({ dir, summary: s, golden, signature, manifest }: TrainResult): void {
  const k = manifest.detector.k;
  const t = s.thresholds;
  const method = (v: 'fp32' | 'int8') => (t[v].method === 'gpd-tail' ? 'tail fit' : 'conservative');
  const lines = [
    `bundle      ${dir}`,
    `backend     ${s.backend}, ${(s.durationMs / 1000).toFixed(1)} s`,
    `model       ${s.model.kind} ${s.model.widths.join('-')} (${s.model.parameters} parameters), ${s.model.kind === 'pca' ? 'closed form' : `${s.model.epochsRun} epochs`}`,
    `files       model.onnx ${s.files.fp32.bytes} B, model.int8.onnx ${s.files.int8.bytes} B`,
    `thresholds  fp32 ${t.fp32.threshold.toPrecision(5)} (${method('fp32')}), int8 ${t.int8.threshold.toPrecision(5)} (${method('int8')}) (shift ${(s.int8.thresholdShift * 100).toFixed(2)} %)`,
    `false alarm int8 ${describeFalseAlarms(t.int8.expectedFar, t.int8.falseAlarmsPerDay, k)}` +
      (t.int8.promisesTarget ? '' : `; the holdout is too short to promise ${t.targetFar}`),
    `int8 parity Spearman ${s.int8.spearmanHoldout.toFixed(5)} normal, ${s.int8.spearmanAnomalous.toFixed(5)} anomalous; ORT runs ${[...new Set(s.int8.optimizedOps)].join('+')}`,
    golden
      ? `golden      ${golden.normal} normal + ${golden.anomalous} anomalous windows (${golden.input}) for the device's self-test`
      : 'golden      none (no window clear of both thresholds): the device skips its self-test',
    signature ? `signed      key ${signature.keyId} (signature.json)` : 'signed      no (--sign KEY)',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function register(program: Command): void {
  const command = program
    .command('train')
    .description(
      'fit the autoencoder on normal data and write a model bundle (fp32 + int8 ONNX, thresholds, report)',
    )
    .requiredOption('--data <files...>', 'normal (healthy) recordings: csv or raw float32 (.f32)')
    .requiredOption('--out <dir>', 'bundle directory to write')
    .addOption(
      new Option('--format <format>', 'data format (default: from the extension, .f32 = f32)').choices([
        'csv',
        'f32',
      ]),
    )
    .option(
      '--columns <list>',
      'csv: columns to use, names or 0-based indexes (default: numeric, non-time, non-label)',
      list,
    )
    .option('--channels <n>', 'f32: interleaved channels', number)
    .option('--sample-rate <hz>', 'samples per second per channel (csv: default from the file)', number)
    .option('--names <list>', 'channel names (default: csv header, or ch0, ch1, ...)', list)
    .option('--window <n>', 'samples per window (default 1024 at >= 500 Hz, else 16)', number)
    .option('--hop <n>', 'samples between windows (default window/2 at >= 500 Hz, else 1)', number)
    .option(
      '--features <list>',
      `${FEATURE_KINDS.join('|')}, comma-combined (default spectrum at >= 500 Hz, else raw); envelope = ` +
        'band-passed Hilbert envelope spectrum for rolling-element bearings',
      featureList,
    )
    .option('--bands <n>', 'spectrum bands per channel (default min(32, fft size / 4))', number)
    .option('--max-hz <hz>', 'spectrum: top of the highest band (default Nyquist)', number)
    .option('--min-hz <hz>', 'spectrum: bottom of the lowest band (default 0)', number)
    .addOption(
      new Option('--band-scale <scale>', 'spectrum band spacing (default linear)').choices(['linear', 'log']),
    )
    .option(
      '--envelope-band <lo,hi>',
      'envelope: band-pass around the resonance bearing impacts ring, Hz (default sample rate x 1/8 to 0.45)',
      hzPair,
    )
    .option(
      '--envelope-bands <n>',
      'envelope: bands of the envelope spectrum (default up to 16, at least one FFT bin each)',
      number,
    )
    .option(
      '--envelope-max-hz <hz>',
      'envelope: top of the envelope spectrum (default min(500, band-pass width / 2))',
      number,
    )
    .option(
      '--bearing <geometry>',
      'envelope: add BPFO/BPFI/BSF/FTF lines (x1, x2) for this bearing: 6205 or n=9,bd=7.94,pd=39.04[,angle=0] (mm, degrees); needs --rpm',
    )
    .option('--rpm <n>', 'envelope: shaft speed for the defect lines, rev/min', number)
    .addOption(
      new Option(
        '--model <kind>',
        'ae = autoencoder, vae = variational, pca = linear autoencoder fitted in closed form (deterministic, instant; good for small training sets) (default ae)',
      ).choices(['ae', 'vae', 'pca']),
    )
    .option('--bottleneck <n>', 'bottleneck width (default max(2, inputs/8))', number)
    .option(
      '--denoise <sigma>',
      'train as a denoising autoencoder with this input noise std (default 0 = off)',
      number,
    )
    .option('--beta <b>', 'vae: weight of the KL term (default 1)', number)
    .option('--epochs <n>', 'maximum epochs (default 100)', number)
    .option('--patience <n>', 'stop after n epochs without a better validation loss (default 10)', number)
    .option('--batch-size <n>', 'mini-batch size (default 32)', number)
    .option('--lr <rate>', 'Adam learning rate (default 0.002)', number)
    .option(
      '--seed <n>',
      'seed for weights and shuffling: same seed + data = same model.onnx (default 1)',
      number,
    )
    .option('--val-split <f>', 'share of the training part used for early stopping (default 0.15)', number)
    .option(
      '--holdout <f>',
      'share at the end of each recording held out for thresholds (default 0.2)',
      number,
    )
    .option(
      '--target-far <f>',
      'target false-alarm rate per window; the threshold is read off a GPD tail fitted to the holdout, so it can be below 1 / holdout windows (default 0.001)',
      number,
    )
    .option('--int8-headroom <x>', 'int8 activation ranges = normal ranges x this (default 4)', number);
  const d = DEFAULTS.detector;
  addDetectorFlags(command, {
    k: `default ${d.k}`,
    n: `default ${d.n}`,
    clearRatio: `default ${d.clearRatio}`,
    clearPeakRatio: 'default 0',
    minClear: `default ${d.minClearWindows}`,
    cooldown: `default ${d.cooldownWindows}`,
  })
    .option(
      '--sign <key>',
      'sign the bundle with this private key (`thrum keys create`); devices with model.trustedKeys require it',
    )
    .option('--no-report', 'skip report.html')
    .option('--json', 'print the training summary as JSON on stdout')
    .option('--quiet', 'no progress output')
    .addHelpText(
      'after',
      `
Each recording is split by time: the last --holdout share is held out (thresholds, p-value quantiles), the
--val-split share before it drives early stopping and int8 calibration, the rest trains. The bundle holds
manifest.json, model.onnx (fp32), model.int8.onnx (QDQ int8), golden.json (windows the device re-scores at
every load) and report.html (charts and tables in one file that opens offline); with --sign also signature.json.

CSV: ',' ';' or tab separated, header optional. Without --columns, non-numeric columns (e.g. datetime),
time columns and label columns (anomaly, changepoint, label) are skipped; the sample rate comes from
--sample-rate, a '# thrum record sampleRate=...' line, a date-time column, or a leading µs timestamp.

Examples:
  thrum train --data healthy.csv --out bundles/pump1
  thrum sim --fast --seconds 600 --seed 7 --out train.csv && thrum train --data train.csv --sample-rate 3200 --out b
  thrum train --data 097_Normal_0hp_48k.DE.f32 --format f32 --channels 1 --sample-rate 48000 \\
              --features spectrum --bands 32 --out bundles/cwru
  thrum train --data skab/anomaly-free.csv --columns Accelerometer1RMS,Accelerometer2RMS,Current \\
              --window 16 --hop 1 --features raw,stats --out bundles/skab
  thrum train --data a.csv b.csv --model vae --denoise 0.1 --target-far 0.001 --k 4 --n 6 --out b2
  thrum train --data healthy.csv --out bundles/pump1 --sign ~/.config/thrum/keys/signing.key
  thrum train --data pump.csv --sample-rate 25600 --window 8192 --hop 4096 --features spectrum,envelope \\
              --envelope-band 4000,10000 --bearing 6205 --rpm 1780 --out bundles/pump-bearing`,
    )
    .action(async (opts: CliOptions) => {
      // Loaded here so `thrum --help` and other commands do not pay for tfjs and onnxruntime.
      const { trainBundle } = await import('../../trainer/train.js');
      const { lr, k, n, clearRatio, clearPeakRatio, minClear, cooldown, json, ...rest } = opts;
      const result = await trainBundle({
        ...rest,
        learningRate: lr,
        detector: detectorRuleOf({ k, n, clearRatio, clearPeakRatio, minClear, cooldown }),
      });
      if (json) process.stdout.write(`${JSON.stringify(result.summary, null, 2)}\n`);
      else if (!opts.quiet) printSummary(result);
    });
}
