import { type Command, Option } from 'commander';
import { ENGINE_REQUESTS, type EngineRequest, openEngine } from '../../runtime/engines/open-engine.js';
import { createScorer } from '../../runtime/scoring/scorer.js';
import { streamScores } from '../../runtime/stream-scores.js';
import type { ModelVariant } from '../../shared/bundle/manifest.js';
import { readBundle } from '../../shared/bundle/read.js';
import { FeatureExtractor } from '../../shared/features/extractor.js';
import { silentLog } from '../../shared/log.js';
import { loadRecording } from '../../trainer/loaders/load-recordings.js';

export interface ScoreDump {
  bundleId: string;
  variant: ModelVariant;
  engine: string;
  reason: string;
  platform: string;
  /** Per input file: every window's score, in stream order (JSON numbers round-trip float64 exactly). */
  results: { input: string; scores: number[] }[];
}

/** Scores a recorded file with a bundle through the device's operators and the chosen engine. */
export async function scoreDump(options: {
  bundle: string;
  inputs: string[];
  variant: ModelVariant;
  engine: EngineRequest;
  maxBatch?: number;
}): Promise<ScoreDump> {
  const bundle = await readBundle(options.bundle, { variants: [options.variant] });
  const { manifest } = bundle;
  const extractor = new FeatureExtractor(manifest.features, manifest.normalization, manifest.channelNames);
  const choice = await openEngine(options.engine, bundle, silentLog);
  const engine = await choice.factory(options.variant);
  const scorer = createScorer(engine, extractor.groups);
  try {
    const results: ScoreDump['results'] = [];
    for (const input of options.inputs) {
      const recording = loadRecording(input, { channelNames: manifest.channelNames });
      const windows = await streamScores(recording.samples, manifest.features, extractor, scorer, {
        maxBatch: options.maxBatch ?? 64,
      });
      results.push({ input, scores: windows.map((w) => w.score) });
    }
    return {
      bundleId: manifest.bundleId,
      variant: options.variant,
      engine: choice.engine,
      reason: choice.reason,
      platform: `${process.platform}/${process.arch}`,
      results,
    };
  } finally {
    await engine.close();
  }
}

export function register(program: Command): void {
  program
    .command('score-dump')
    .description("print every window's score of a recording as JSON (checks a board scores like the desktop)")
    .requiredOption('--bundle <dir>', 'model bundle directory')
    .requiredOption('--input <files...>', 'recordings (csv from thrum sim / thrum record)')
    .addOption(new Option('--variant <variant>', 'model variant').choices(['int8', 'fp32']).default('int8'))
    .addOption(new Option('--engine <engine>', 'inference engine').choices(ENGINE_REQUESTS).default('auto'))
    .addHelpText(
      'after',
      `
Prints {"bundleId", "variant", "engine", "reason", "platform", "results": [{"input", "scores": [...]}]} on one
line. The int8 scores of
the native and the wasm engine are bit-identical, on every board: diff two dumps to check one.

Example:
  thrum score-dump --bundle /var/lib/thrum/bundles/current --input healthy.csv > scores.json`,
    )
    .action(
      async (opts: { bundle: string; input: string[]; variant: ModelVariant; engine: EngineRequest }) => {
        process.stdout.write(`${JSON.stringify(await scoreDump({ ...opts, inputs: opts.input }))}\n`);
      },
    );
}
