import { Observable, type OperatorFunction } from 'rxjs';
import type { FeatureWindow, SampleWindow } from './windows.js';

/** The part of FeatureExtractor (shared/features/extractor.ts) this operator uses. */
export interface WindowFeaturizer {
  readonly size: number;
  extract(window: Float32Array, out: Float32Array, offset?: number): void;
}

export interface ToFeaturesOptions {
  /** Feature vectors in the ring each window's vector is written to. Default 64. */
  poolSize?: number;
}

/**
 * Windows -> normalized feature vectors, written into a ring of preallocated vectors instead of a new array per
 * window. A vector stays valid until `poolSize` further windows have passed (scoreBatches copies it at once).
 */
export function toFeatures(
  extractor: WindowFeaturizer,
  options: ToFeaturesOptions = {},
): OperatorFunction<SampleWindow, FeatureWindow> {
  const poolSize = options.poolSize ?? 64;
  return (windows) =>
    new Observable<FeatureWindow>((subscriber) => {
      const arena = new Float32Array(poolSize * extractor.size);
      const pool = Array.from({ length: poolSize }, (_, i) =>
        arena.subarray(i * extractor.size, (i + 1) * extractor.size),
      );
      let next = 0;
      return windows.subscribe({
        next: ({ samples, ...meta }) => {
          const features = pool[next];
          next = (next + 1) % poolSize;
          try {
            extractor.extract(samples, features);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          subscriber.next({ ...meta, features });
        },
        error: (error) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
