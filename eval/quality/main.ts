// `npm run bench:quality` (tsx eval/quality/main.ts): the SKAB protocol and the CWRU benchmark, int8 and fp32
// side by side, written to bench/results/quality.json and quality.md.
// Options: --skab DIR, --cwru DIR (default $THRUM_DATASETS/<name> or ../shared/datasets/<name>),
// --only skab|cwru, --out PREFIX (default bench/results/quality).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type CwruResult, runCwru } from '../cwru/bench.js';
import { findDataset } from '../datasets-dir.js';
import { SKAB_CONFIG } from '../skab/config.js';
import { skabJson } from '../skab/json.js';
import { runSkabProtocol, type SkabProtocolResult } from '../skab/protocol.js';
import { TRAINER_THRESHOLD } from '../threshold-rule.js';
import { machine, qualityMarkdown, rowAgreement } from './report.js';
import { skabFolds, thresholdComparison } from './threshold-comparison.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  options: {
    skab: { type: 'string' },
    cwru: { type: 'string' },
    only: { type: 'string' },
    out: { type: 'string', default: join(root, 'bench', 'results', 'quality') },
  },
});
const say = (line: string) => process.stderr.write(`${line}\n`);
const wants = (name: string) => !values.only || values.only === name;
const skabDir = wants('skab') ? (values.skab ?? findDataset('skab')) : undefined;
const cwruDir = wants('cwru') ? (values.cwru ?? findDataset('cwru')) : undefined;

for (const [name, found] of [
  ['skab', skabDir],
  ['cwru', cwruDir],
] as const) {
  if (wants(name) && !found) {
    say(
      `!!! ${name.toUpperCase()} SKIPPED: dataset folder not found (pass --${name} DIR or set THRUM_DATASETS) !!!`,
    );
  }
}
if (!skabDir && !cwruDir) process.exit(2);

let skab: SkabProtocolResult | undefined;
let skabTail: SkabProtocolResult | undefined;
if (skabDir) {
  say(`SKAB ${skabDir}: 34 bundles (rows 0-399 each), streamed with int8 and fp32`);
  skab = await runSkabProtocol({ dir: skabDir, variants: ['int8', 'fp32'], onProgress: say });
  say("SKAB again with the trainer's tail-fit thresholds");
  skabTail = await runSkabProtocol({
    dir: skabDir,
    config: { ...SKAB_CONFIG, threshold: TRAINER_THRESHOLD },
    variants: ['int8', 'fp32'],
  });
}
let cwru: CwruResult | undefined;
let cwruTail: CwruResult | undefined;
if (cwruDir) {
  cwru = await runCwru(cwruDir, ['int8', 'fp32'], say);
  say("CWRU again with the trainer's tail-fit thresholds");
  cwruTail = await runCwru(cwruDir, ['int8', 'fp32'], say, TRAINER_THRESHOLD);
}

const date = new Date().toISOString();
const json = {
  generatedAt: date,
  machine: machine(),
  skab: skab && skabDir ? { ...skabJson(skab, skabDir), int8Fp32RowAgreement: rowAgreement(skab) } : null,
  cwru: cwru ?? null,
  tailFit: {
    skab:
      skab && skabTail
        ? Object.fromEntries(
            (['int8', 'fp32'] as const).map((v) => [
              v,
              { configured: skabFolds(skab, v), tailFit: skabFolds(skabTail, v) },
            ]),
          )
        : null,
    cwru: cwruTail ?? null,
  },
};
mkdirSync(dirname(values.out as string), { recursive: true });
writeFileSync(`${values.out}.json`, `${JSON.stringify(json, null, 2)}\n`);
const comparison = thresholdComparison(
  skab && skabTail ? { configured: skab, tail: skabTail } : undefined,
  cwru && cwruTail ? { configured: cwru, tail: cwruTail } : undefined,
);
const md = `${qualityMarkdown(skab, cwru, date.slice(0, 10))}\n${comparison.join('\n')}\n`;
writeFileSync(`${values.out}.md`, md);
process.stdout.write(md);
say(`written: ${values.out}.json, ${values.out}.md`);
