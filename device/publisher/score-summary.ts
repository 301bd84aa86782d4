import type { ModelVariant } from '../../shared/bundle/manifest.js';
import type { ScoreSummary } from '../../shared/mqtt/score-summary.js';

/**
 * One sensor's digest of a period, before it becomes the `<sensorId>/score` payload (shared/mqtt's ScoreSummary):
 * the same statistics, with the sensor it belongs to and the period's times as epoch ms.
 */
export interface SensorScoreSummary extends Omit<ScoreSummary, 'from' | 'to'> {
  sensorId: number;
  /** Epoch ms of the first and last score in the period. */
  from: number;
  to: number;
}

/** Scores kept per sensor per period; past this a uniform reservoir sample stands in for p95. */
const RESERVOIR = 4096;

interface Acc {
  from: number;
  to: number;
  count: number;
  sum: number;
  max: number;
  sample: number[];
}

/** What every summary of a daemon also says: the threshold its scores are compared with, and the variant. */
export interface ScoreContext {
  threshold: number;
  variant: ModelVariant;
}

/** Collects scores between flushes. Pure: the caller passes times and decides when to flush. */
export class ScoreSummarizer {
  private readonly bySensor = new Map<number, Acc>();

  constructor(
    private readonly random: () => number = Math.random,
    private readonly context?: ScoreContext,
  ) {}

  add(sensorId: number, score: number, at: number): void {
    if (!Number.isFinite(score)) return;
    let acc = this.bySensor.get(sensorId);
    if (!acc) {
      acc = { from: at, to: at, count: 0, sum: 0, max: Number.NEGATIVE_INFINITY, sample: [] };
      this.bySensor.set(sensorId, acc);
    }
    acc.count += 1;
    acc.sum += score;
    acc.max = Math.max(acc.max, score);
    acc.from = Math.min(acc.from, at);
    acc.to = Math.max(acc.to, at);
    if (acc.sample.length < RESERVOIR) acc.sample.push(score);
    else {
      const slot = Math.floor(this.random() * acc.count);
      if (slot < RESERVOIR) acc.sample[slot] = score;
    }
  }

  /** Summaries of every sensor that scored since the last flush; starts a new period. */
  flush(): SensorScoreSummary[] {
    const out: SensorScoreSummary[] = [];
    for (const [sensorId, acc] of this.bySensor) {
      const sorted = acc.sample.sort((a, b) => a - b);
      const quantile = (q: number) =>
        sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
      const p95 = quantile(0.95);
      out.push({
        sensorId,
        from: acc.from,
        to: acc.to,
        count: acc.count,
        mean: acc.sum / acc.count,
        p95,
        max: acc.max,
        p50: quantile(0.5),
        ...this.context,
      });
    }
    this.bySensor.clear();
    return out;
  }
}
