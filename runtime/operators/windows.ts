import type { ScoredWindow } from '../../shared/detector/types.js';

/** Where a window sits in its sensor's stream and when its samples arrived. */
export type WindowMeta = Omit<ScoredWindow, 'score' | 'contributions'>;

/** A window of interleaved samples (`window * channels` values). */
export interface SampleWindow extends WindowMeta {
  /**
   * Valid only while the window is being delivered (it may alias the windower's buffer): read it
   * synchronously or copy it. toFeatures does the former.
   */
  samples: Float32Array;
}

/** A window's normalized feature vector. */
export interface FeatureWindow extends WindowMeta {
  /**
   * A slot of toFeatures' pool: valid until `poolSize` further windows have been extracted. scoreBatches
   * copies it on arrival.
   */
  features: Float32Array;
}

/**
 * What scoreBatches emits: the detector's ScoredWindow (shared/detector/types.ts) plus when scoring finished
 * (latency = scoredAtMs - endTimeMs).
 */
export interface TimedScoredWindow extends ScoredWindow {
  scoredAtMs: number;
}
