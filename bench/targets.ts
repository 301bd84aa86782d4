import type { BenchResults } from './results.js';

export interface TargetCheck {
  name: string;
  target: string;
  /** What was measured, as shown in the table. */
  measured: string;
  /** undefined when the section did not run. */
  met: boolean | undefined;
}

const M = (x: number) => `${(x / 1e6).toFixed(2)} M`;

/** The issue's targets for this machine, one core, judged on the figures of this run. */
export function checkTargets(r: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const pipeline = 'rows' in r.pipeline ? r.pipeline.rows : [];
  for (const [format, min] of [
    ['frames', 3e6],
    ['csv', 1e6],
  ] as const) {
    const row = pipeline.find((p) => p.format === format);
    checks.push({
      name: `pipeline ${format}`,
      target: `>= ${M(min)} samples/s`,
      measured: row ? `${M(row.samplesPerCpuSec)}/CPU-s (${M(row.samplesPerSec)}/s wall)` : 'not run',
      met: row ? row.samplesPerCpuSec >= min : undefined,
    });
  }
  const b64 = 'rows' in r.inference ? r.inference.rows.find((x) => x.batch === 64) : undefined;
  checks.push({
    name: 'int8 vs fp32, batch 64',
    target: '>= 4x faster',
    measured: b64 ? `${b64.fp32OverInt8.toFixed(2)}x` : 'not run',
    met: b64 ? b64.fp32OverInt8 >= 4 : undefined,
  });
  checks.push({
    name: 'int8 vs tfjs predict, batch 64',
    target: '>= 50x faster',
    measured: b64 ? `${b64.tfjsOverInt8.toFixed(1)}x` : 'not run',
    met: b64 ? b64.tfjsOverInt8 >= 50 : undefined,
  });
  const runs = 'runs' in r.latency ? r.latency.runs : [];
  for (const run of runs) {
    checks.push({
      name: `alert latency p99, maxDelayMs ${run.maxDelayMs}${run.isDefault ? ' (default)' : ''}`,
      target: '<= 5 ms',
      measured: `${run.p99Ms.toFixed(2)} ms (${run.alerts} alerts)`,
      met: run.alerts > 0 ? run.p99Ms <= 5 : undefined,
    });
  }
  for (const mem of 'runs' in r.memory ? r.memory.runs : [undefined]) {
    checks.push({
      name: `daemon RSS${mem ? `, ${mem.settings}` : ''}`,
      target: '<= 120 MiB, flat (end - warm <= 5 MiB)',
      measured: mem
        ? `${mem.endRssMiB} MiB (warm ${mem.warmRssMiB}, ${signed(mem.growthMiB)} MiB)`
        : 'not run',
      met: mem ? mem.endRssMiB <= 120 && mem.growthMiB <= 5 : undefined,
    });
  }
  return checks;
}

const signed = (x: number) => (x >= 0 ? `+${x}` : String(x));
