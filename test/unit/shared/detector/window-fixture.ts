import type { Contribution, ScoredWindow } from '../../../../shared/detector/types.js';

/** Window i of a stream cut with window 100 / hop 50 at 1 kHz; contributions name the window. */
export function scored(i: number, score: number, sensorId = 1): ScoredWindow {
  const startSample = i * 50;
  const contributions: Contribution[] = [{ group: `w${i}`, share: 1 }];
  return {
    sensorId,
    startSample,
    endSample: startSample + 100,
    startTimeMs: startSample,
    endTimeMs: startSample + 99,
    score,
    contributions,
  };
}
