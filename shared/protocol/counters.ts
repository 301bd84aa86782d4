import type { DecoderCounters } from './types.js';

export function zeroCounters(): DecoderCounters {
  return { bytes: 0, samples: 0, records: 0, bad: 0, gaps: 0, missingFrames: 0 };
}
