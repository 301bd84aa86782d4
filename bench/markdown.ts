import { FEATURE_WINDOWS } from './features-bench.js';
import type { BenchResults, Skipped } from './results.js';

const table = (head: string[], rows: (string | number)[][]): string =>
  [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

const f = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const mega = (x: number) => f(x / 1e6, 2);
const skipped = (s: object): s is Skipped => 'skipped' in s;

/** The run as markdown: machine, targets, then one table per section. */
export function renderMarkdown(r: BenchResults): string {
  const m = r.machine;
  const out: string[] = [
    `# thrum bench (${r.mode}), ${m.date}`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}, onnxruntime-node ` +
      `${m.onnxruntime}, tfjs ${m.tfjs} (${m.tfjsBackend} backend); commit ${m.commit}; load average ` +
      `${m.loadAverage} at start; ${r.pinnedCpu === null ? 'not pinned' : `compute sections pinned to CPU ${r.pinnedCpu}`}; ` +
      `${f(r.durationSeconds, 0)} s.`,
    '',
    `Model: ${r.bundle.description}.`,
    '',
    ...r.method.map((line) => `- ${line}`),
    '',
    '## Targets',
    '',
    table(
      ['target', 'wanted', 'measured', 'met'],
      r.targets.map((t) => [
        t.name,
        t.target,
        t.measured,
        t.met === undefined ? 'n/a' : t.met ? 'yes' : '**no**',
      ]),
    ),
    '',
  ];

  out.push('## 1. Inference (µs per window, median)', '');
  if (skipped(r.inference)) out.push(`Skipped: ${r.inference.skipped}`, '');
  else {
    const inf = r.inference;
    out.push(
      table(
        ['batch', 'ORT int8', 'ORT fp32', `tfjs (${inf.tfjsBackend})`, 'fp32 / int8', 'tfjs / int8'],
        inf.rows.map((row) => [
          row.batch,
          f(row.int8.median),
          f(row.fp32.median),
          f(row.tfjs.median),
          `${f(row.fp32OverInt8)}x`,
          `${f(row.tfjsOverInt8, 1)}x`,
        ]),
      ),
      '',
      `Same weights in all three: max |ORT fp32 - tfjs| = ${inf.fp32VsTfjsMaxAbsDiff.toExponential(1)}, ` +
        `max |int8 - fp32| = ${f(inf.int8VsFp32MaxAbsDiff, 3)} (normalized units).`,
      '',
    );
    if (inf.sizes.length > 0) {
      out.push(
        'Same architecture at other input sizes (synthetic weights, batch 64):',
        '',
        table(
          ['inputs', 'layers', 'MACs / window', 'ORT int8', 'ORT fp32', 'fp32 / int8'],
          inf.sizes.map((s) => [
            s.inputs,
            s.widths.join('-'),
            s.macs,
            f(s.int8.median),
            f(s.fp32.median),
            `${f(s.fp32OverInt8)}x`,
          ]),
        ),
        '',
      );
    }
  }

  out.push('## 2. Features (µs per 3-channel window, median)', '');
  if (skipped(r.features)) out.push(`Skipped: ${r.features.skipped}`, '');
  else {
    const feat = r.features;
    const kinds = [...new Set(feat.rows.map((x) => x.kind))];
    out.push(
      table(
        ['window', ...kinds],
        FEATURE_WINDOWS.map((w) => [
          w,
          ...kinds.map((k) =>
            f(feat.rows.find((x) => x.window === w && x.kind === k)?.usPerWindow.median ?? Number.NaN, 1),
          ),
        ]),
      ),
      '',
      'FFT of one real signal (µs, median):',
      '',
      table(
        [
          'size',
          'fft.js realTransform',
          'fft.js transform (complex)',
          'radix-2 reference',
          'reference / fft.js',
        ],
        feat.fft.map((x) => [
          x.size,
          f(x.fftJsReal.median),
          f(x.fftJsComplex.median),
          f(x.radix2.median),
          `${f(x.radix2OverFftJsReal)}x`,
        ]),
      ),
      '',
      feat.fftNote,
      '',
    );
  }

  out.push('## 3. Decode (3 channels, median)', '');
  if (skipped(r.decode)) out.push(`Skipped: ${r.decode.skipped}`, '');
  else {
    out.push(
      table(
        ['format', 'bytes / sample', 'M samples/s', 'MB/s'],
        r.decode.rows.map((d) => [
          d.format,
          f(d.bytesPerSample, 1),
          mega(d.samplesPerSec.median),
          f(d.mbPerSec, 0),
        ]),
      ),
      '',
    );
  }

  out.push('## 4. Whole pipeline, one core (decode -> windows -> features -> int8 scoring -> detector)', '');
  if (skipped(r.pipeline)) out.push(`Skipped: ${r.pipeline.skipped}`, '');
  else {
    out.push(
      table(
        [
          'format',
          'samples',
          'M samples / CPU-s',
          'M samples/s wall',
          'segments, median',
          'x real time 3.2 kHz',
          'x real time 25.6 kHz',
          'windows',
          'dropped',
        ],
        r.pipeline.rows.map((p) => [
          p.format,
          p.samples,
          mega(p.samplesPerCpuSec),
          mega(p.samplesPerSec),
          mega(p.segmentSamplesPerSec.median),
          f(p.realtimeFactor['3200'], 0),
          f(p.realtimeFactor['25600'], 0),
          p.windows,
          p.dropped,
        ]),
      ),
      '',
      'A sample is one value per channel (one csv line). Real-time factor = samples per CPU-second / sample rate: how many 3-axis sensors at that rate one core keeps up with.',
      '',
    );
  }

  out.push('## 5. Alert latency (last sample of the window -> PUBACK)', '');
  if (skipped(r.latency)) out.push(`Skipped: ${r.latency.skipped}`, '');
  else {
    out.push(
      table(
        ['inference.maxDelayMs', 'sensors', 'windows', 'alerts timed', 'p50 ms', 'p99 ms', 'max ms'],
        r.latency.runs.map((l) => [
          `${l.maxDelayMs}${l.isDefault ? ' (default)' : ''}`,
          l.sensors,
          l.windows,
          l.alerts,
          f(l.p50Ms),
          f(l.p99Ms),
          f(l.maxMs),
        ]),
      ),
      '',
      'Where the time goes (p50 / p99 ms): detect = write -> outbox append (read, decode, features, batching wait, ' +
        'ORT, detector); commit = SQLite append (fsync); handoff = commit -> publish call; broker = publish -> PUBACK.',
      '',
      table(
        ['inference.maxDelayMs', 'detect', 'commit', 'handoff', 'broker'],
        r.latency.runs.map((l) => [
          l.maxDelayMs,
          ...(['detect', 'commit', 'handoff', 'broker'] as const).map(
            (k) => `${f(l.legs[k].p50Ms)} / ${f(l.legs[k].p99Ms)}`,
          ),
        ]),
      ),
      '',
      r.latency.note,
      '',
    );
  }

  out.push('## 6. Daemon memory', '');
  if (skipped(r.memory)) out.push(`Skipped: ${r.memory.skipped}`, '');
  else {
    const runs = r.memory.runs;
    out.push(
      table(
        [
          'settings',
          'warm RSS MiB',
          'end RSS MiB',
          'max RSS MiB',
          'end - warm',
          'slope MiB / 10 min of data',
          'alerts',
          'exit',
        ],
        runs.map((m) => [
          m.settings,
          m.warmRssMiB,
          m.endRssMiB,
          m.maxRssMiB,
          m.growthMiB,
          m.slopeMiBPer10MinData,
          m.alerts,
          String(m.exitCode),
        ]),
      ),
      '',
    );
    const m = runs[0];
    if (m) {
      out.push(
        `${m.command}: ${m.warmupDataSeconds} s of 3.2 kHz data to warm up, then ${m.dataSeconds} s of data ` +
          `(${f(m.dataSeconds / 60, 0)} min) replayed at ${m.speedup}x real time in ${f(m.wallSeconds, 1)} s of wall time; ` +
          'RSS sampled every 250 ms. Faster than real time the young generation of the V8 heap grows more than at ' +
          'the real rate, so this errs high.',
        '',
      );
    }
  }
  return out.join('\n');
}
