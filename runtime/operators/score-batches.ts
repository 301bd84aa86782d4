import {
  asyncScheduler,
  from,
  Observable,
  type ObservableInput,
  type OperatorFunction,
  type SchedulerLike,
  Subscription,
} from 'rxjs';
import type { Contribution } from '../../shared/detector/types.js';
import { ThrumError } from '../../shared/errors.js';
import type { FeatureWindow, TimedScoredWindow, WindowMeta } from './windows.js';

/** Per-window results of one batch, in input order. */
export interface BatchScores {
  scores: ArrayLike<number>;
  contributions: readonly (readonly Contribution[])[];
}

/** Scores packed feature vectors; runtime/scoring/scorer.ts builds one over an InferenceEngine. */
export interface BatchScorer {
  /** Values per feature vector. */
  readonly size: number;
  /** Scores the n vectors in features[0, n*size). `features` is reused once the result has been emitted. */
  score(features: Float32Array, n: number): ObservableInput<BatchScores>;
}

export interface ScoreBatchesOptions {
  /** Largest batch per scorer call. */
  maxBatch: number;
  /** Longest a window waits for its batch to fill, ms. */
  maxDelayMs: number;
  /** Windows waiting beyond the batch being scored; when full, the oldest is dropped. Default 8 x maxBatch. */
  maxQueue?: number;
  counters?: ScoringCounters;
}

export interface ScoringCounters {
  /** Windows received. */
  windows: number;
  scored: number;
  /** Dropped because scoring fell behind and the queue was full. */
  dropped: number;
  batches: number;
  /** Scheduler time spent waiting for the scorer, summed over batches. */
  inferenceMs: number;
  /** Most windows ever waiting at once. */
  maxQueued: number;
}

export function emptyScoringCounters(): ScoringCounters {
  return { windows: 0, scored: 0, dropped: 0, batches: 0, inferenceMs: 0, maxQueued: 0 };
}

/**
 * Feature windows -> scored windows, micro-batched: a batch is scored as soon as maxBatch windows wait, or when
 * the oldest has waited maxDelayMs, whichever comes first; one scorer call at a time. While a call runs, windows
 * queue up to maxQueue; beyond that the oldest waiting window is dropped and counted, so memory stays bounded
 * and the freshest data is scored. At the end of input the queue is scored, then the output completes.
 */
export function scoreBatches(
  scorer: BatchScorer,
  options: ScoreBatchesOptions,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<FeatureWindow, TimedScoredWindow> {
  const { maxBatch, maxDelayMs } = options;
  const capacity = options.maxQueue ?? 8 * maxBatch;
  if (!(Number.isInteger(maxBatch) && maxBatch >= 1) || !(maxDelayMs >= 0) || !(capacity >= maxBatch)) {
    throw new ThrumError(
      'BAD_CONFIG',
      `scoring: need maxBatch >= 1 (got ${maxBatch}), maxDelayMs >= 0 (got ${maxDelayMs}) and ` +
        `maxQueue >= maxBatch (got ${capacity})`,
    );
  }
  const counters = options.counters ?? emptyScoringCounters();
  const size = scorer.size;

  return (windows) =>
    new Observable<TimedScoredWindow>((subscriber) => {
      // The queue: a ring of `capacity` feature slots with their window and arrival time.
      const queued = new Float32Array(capacity * size);
      const metas: (WindowMeta | undefined)[] = new Array(capacity);
      const arrivals = new Float64Array(capacity);
      let head = 0;
      let length = 0;
      const batch = new Float32Array(maxBatch * size);
      const batchMetas: WindowMeta[] = [];
      let busy = false;
      let inputDone = false;
      let timer: Subscription | undefined;
      const running = new Subscription();

      const finishIfDone = () => {
        if (inputDone && !busy && length === 0) subscriber.complete();
      };

      const pump = () => {
        if (busy || length === 0) return finishIfDone();
        const waited = scheduler.now() - arrivals[head];
        if (length >= maxBatch || inputDone || waited >= maxDelayMs) return runBatch();
        timer ??= scheduler.schedule(() => {
          timer = undefined;
          pump();
        }, maxDelayMs - waited);
      };

      const runBatch = () => {
        timer?.unsubscribe();
        timer = undefined;
        const n = Math.min(length, maxBatch);
        batchMetas.length = 0;
        for (let i = 0; i < n; i++) {
          const slot = (head + i) % capacity;
          batch.set(queued.subarray(slot * size, (slot + 1) * size), i * size);
          batchMetas.push(metas[slot]!);
          metas[slot] = undefined;
        }
        head = (head + n) % capacity;
        length -= n;
        busy = true;
        const startedAt = scheduler.now();
        let answered = false;
        const call = from(scorer.score(batch, n)).subscribe({
          next: (result) => {
            if (answered) return;
            answered = true;
            const scoredAtMs = scheduler.now();
            counters.inferenceMs += scoredAtMs - startedAt;
            counters.batches++;
            counters.scored += n;
            // Copied out first: a synchronous scorer may start the next batch from inside subscriber.next.
            const done = batchMetas.slice(0, n);
            busy = false;
            for (let i = 0; i < n; i++) {
              subscriber.next({
                ...done[i],
                score: result.scores[i],
                contributions: result.contributions[i] ?? [],
                scoredAtMs,
              });
            }
            pump();
          },
          error: (error) => subscriber.error(error),
          complete: () => {
            if (!answered) subscriber.error(new Error(`scorer completed without scoring a batch of ${n}`));
          },
        });
        if (!call.closed) {
          running.add(call);
          call.add(() => running.remove(call));
        }
      };

      const enqueue = (w: FeatureWindow) => {
        counters.windows++;
        if (length === capacity) {
          metas[head] = undefined;
          head = (head + 1) % capacity;
          length--;
          counters.dropped++;
        }
        const slot = (head + length) % capacity;
        queued.set(w.features, slot * size);
        const { features: _features, ...meta } = w;
        metas[slot] = meta;
        arrivals[slot] = scheduler.now();
        length++;
        if (length > counters.maxQueued) counters.maxQueued = length;
        pump();
      };

      const input = windows.subscribe({
        next: enqueue,
        error: (error) => subscriber.error(error),
        complete: () => {
          inputDone = true;
          pump();
        },
      });
      return () => {
        input.unsubscribe();
        timer?.unsubscribe();
        running.unsubscribe();
      };
    });
}
