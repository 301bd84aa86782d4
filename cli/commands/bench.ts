import { extname, resolve } from 'node:path';
import type { Command } from 'commander';
import { SECTIONS, type Section } from '../../bench/results.js';
import { ThrumError } from '../../shared/errors.js';

const DEFAULT_JSON = 'bench/results/bench.json';

interface BenchCliOptions {
  json: string;
  md?: string;
  quick?: boolean;
  only?: string;
}

function sectionsOf(list: string): Section[] {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = names.find((n) => !(SECTIONS as readonly string[]).includes(n));
  if (bad || names.length === 0) {
    throw new ThrumError(
      'BAD_USAGE',
      `--only: '${bad ?? list}' is not a section; use a comma list of ${SECTIONS.join(', ')}`,
    );
  }
  return names as Section[];
}

export function register(program: Command): void {
  program
    .command('bench')
    .description(
      'performance benchmarks: inference, features, decode, whole pipeline, alert latency, daemon memory',
    )
    .option('--json <file>', 'where the results go as JSON (the markdown goes next to it, .md)', DEFAULT_JSON)
    .option('--md <file>', 'where the markdown report goes (default: the --json path with .md)')
    .option('--quick', 'fewer repeats and shorter replays: well under a minute, for a smoke test')
    .option('--only <sections>', `run only these, comma-separated: ${SECTIONS.join(', ')}`)
    .addHelpText(
      'after',
      `
Measures, side by side in one run, each figure as the median of repeated runs:
  1. inference    per-window cost of ORT int8, ORT fp32 and tfjs on the same model, batch 1/8/64/256
  2. features     cost per window of each feature kind, window 256..4096; fft.js against a radix-2 reference
  3. decode       samples/s of the csv and frames decoders (3 channels)
  4. pipeline     >= 10 M samples replayed through decode -> windows -> features -> int8 -> detector, one core
  5. latency      last sample of a window -> alert PUBACK from a local mosquitto, p50/p99/max, real rate
  6. memory       RSS of \`thrum run\` after warm-up and after 10 minutes of data (replayed faster than real time)
It trains its own bundle first (3-axis, 3.2 kHz, window 1024, 96 spectrum inputs) and needs mosquitto for 5
and 6 (skipped, saying so, without it). The full run takes 2-3 minutes; the machine should be otherwise idle.
Prints the markdown table; writes JSON with a machine description (CPU, cores, Node, ORT, date, commit).

Examples:
  thrum bench                                  full run -> bench/results/bench.json + bench.md
  thrum bench --quick --json /tmp/b.json       smoke run, well under a minute
  thrum bench --only pipeline,latency          just those sections (others recorded as skipped)
  node --cpu-prof --import tsx cli/main.ts bench --quick --only pipeline     profile the pipeline`,
    )
    .action(async (opts: BenchCliOptions) => {
      const only = opts.only === undefined ? undefined : sectionsOf(opts.only);
      const jsonPath = resolve(opts.json);
      const mdPath = resolve(
        opts.md ?? `${extname(jsonPath) === '.json' ? jsonPath.slice(0, -5) : jsonPath}.md`,
      );
      if (mdPath === jsonPath) throw new ThrumError('BAD_USAGE', '--md must differ from --json');
      // Loaded on demand: the benchmarks pull in ONNX Runtime, tfjs, SQLite and MQTT.
      const { runBench } = await import('../../bench/run-bench.js');
      const { renderMarkdown } = await import('../../bench/markdown.js');
      const results = await runBench({
        quick: opts.quick === true,
        jsonPath,
        mdPath,
        only,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(`${renderMarkdown(results)}\n`);
      const failed = Object.entries(results).filter(
        ([, v]) =>
          typeof v === 'object' && v !== null && 'skipped' in v && String(v.skipped).startsWith('failed'),
      );
      if (failed.length > 0) {
        process.stderr.write(`thrum bench: ${failed.map(([k]) => k).join(', ')} failed (see above)\n`);
        process.exitCode = 1;
      }
    });
}
