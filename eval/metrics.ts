/** Counts of a binary decision against 0/1 labels (1 = anomalous = positive). */
export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/**
 * The SKAB outlier-detection metrics (core/metrics.py at the commit BASELINES.md names):
 * F1 = TP / (TP + (FN + FP) / 2), FAR = FP / (FP + TN) · 100, MAR = FN / (FN + TP) · 100 (both in %).
 * An empty denominator gives 0 (no normal rows: no false alarm is possible; no anomalous rows: none missed).
 */
export interface BinaryMetrics extends Confusion {
  f1: number;
  /** False-alarm rate, % of normal rows flagged. */
  far: number;
  /** Missed-alarm rate, % of anomalous rows not flagged. */
  mar: number;
}

export function emptyConfusion(): Confusion {
  return { tp: 0, fp: 0, tn: 0, fn: 0 };
}

/** Adds one decision to `c` (mutates it, for pooling over files). */
export function count(c: Confusion, predicted: boolean, anomalous: boolean): void {
  if (predicted) anomalous ? c.tp++ : c.fp++;
  else anomalous ? c.fn++ : c.tn++;
}

export function confusionOf(predictions: ArrayLike<number>, labels: ArrayLike<number>): Confusion {
  if (predictions.length !== labels.length) {
    throw new RangeError(`confusionOf: ${predictions.length} predictions for ${labels.length} labels`);
  }
  const c = emptyConfusion();
  for (let i = 0; i < labels.length; i++) count(c, predictions[i] !== 0, labels[i] !== 0);
  return c;
}

export function addConfusion(a: Confusion, b: Confusion): Confusion {
  return { tp: a.tp + b.tp, fp: a.fp + b.fp, tn: a.tn + b.tn, fn: a.fn + b.fn };
}

const ratio = (num: number, den: number) => (den > 0 ? num / den : 0);

export function binaryMetrics(c: Confusion): BinaryMetrics {
  return {
    ...c,
    f1: ratio(c.tp, c.tp + (c.fn + c.fp) / 2),
    far: ratio(c.fp, c.fp + c.tn) * 100,
    mar: ratio(c.fn, c.fn + c.tp) * 100,
  };
}

/**
 * ROC-AUC of `scores` against 0/1 `labels`: the probability that a random anomalous item scores above a random
 * normal one, ties counting one half (the Mann-Whitney U statistic with mid-ranks, exact for any number of
 * ties). Undefined when either class is empty: the AUC does not exist then.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | undefined {
  if (scores.length !== labels.length) {
    throw new RangeError(`rocAuc: ${scores.length} scores for ${labels.length} labels`);
  }
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]] === scores[order[i]]) j++;
    // Items i..j tie: each gets the mean of ranks i+1..j+1.
    const midRank = (i + j + 2) / 2;
    for (let t = i; t <= j; t++) {
      if (labels[order[t]] !== 0) {
        positives++;
        rankSum += midRank;
      }
    }
    i = j + 1;
  }
  const negatives = scores.length - positives;
  if (positives === 0 || negatives === 0) return undefined;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
