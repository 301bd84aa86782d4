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
import { skabJson } from '../skab/json.js';
import { runSkabProtocol, type SkabProtocolResult } from '../skab/protocol.js';
import { machine, qualityMarkdown, rowAgreement } from './report.js';

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
if (skabDir) {
  say(`SKAB ${skabDir}: 34 bundles (rows 0-399 each), streamed with int8 and fp32`);
  skab = await runSkabProtocol({ dir: skabDir, variants: ['int8', 'fp32'], onProgress: say });
}
let cwru: CwruResult | undefined;
if (cwruDir) cwru = await runCwru(cwruDir, ['int8', 'fp32'], say);

const date = new Date().toISOString();
const json = {
  generatedAt: date,
  machine: machine(),
  skab: skab && skabDir ? { ...skabJson(skab, skabDir), int8Fp32RowAgreement: rowAgreement(skab) } : null,
  cwru: cwru ?? null,
};
mkdirSync(dirname(values.out as string), { recursive: true });
writeFileSync(`${values.out}.json`, `${JSON.stringify(json, null, 2)}\n`);
const md = qualityMarkdown(skab, cwru, date.slice(0, 10));
writeFileSync(`${values.out}.md`, md);
process.stdout.write(md);
say(`written: ${values.out}.json, ${values.out}.md`);
