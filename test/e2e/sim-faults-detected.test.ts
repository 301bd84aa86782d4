import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { from, lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlertPipeline, emptyPipelineCounters } from '../../runtime/alert-pipeline.js';
import { type BundleRuntime, openBundleRuntime } from '../../runtime/open-bundle.js';
import type { DetectorEvent } from '../../shared/detector/index.js';
import { encodeFrame } from '../../shared/protocol/frames-encoder.js';
import { FAULT_KINDS, type FaultInterval } from '../../tools/sim/schedule.js';
import { SIM_CHANNEL_NAMES, VibrationSim } from '../../tools/sim/vibration-sim.js';
import { trainBundle } from '../../trainer/train.js';

// Issue #5: a bundle trained on the simulator's healthy output must stay quiet on 10 further minutes of a
// healthy machine (another seed: other noise, other drift) and raise an alert for every fault kind. The
// streams go through the device's own path: frames bytes -> decode -> windows -> features -> int8 ORT ->
// detector.
const RATE = 3200;
const FRAME = 64;
const dir = mkdtempSync(join(tmpdir(), 'thrum-sim-faults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function simulate(seconds: number, seed: number, faults: FaultInterval[] = []): Float32Array {
  const sim = new VibrationSim({ sampleRate: RATE, rpm: 1780, mains: 50, seed, faults });
  const out = new Float32Array(seconds * RATE * 3);
  sim.fill(out);
  return out;
}

function* frames(samples: Float32Array): Generator<Uint8Array> {
  for (let seq = 0, i = 0; i < samples.length; seq++, i += FRAME * 3) {
    yield encodeFrame({
      sensorId: 1,
      seq,
      channels: 3,
      samples: samples.subarray(i, i + FRAME * 3),
      format: 'int16',
    });
  }
}

let runtime: BundleRuntime | undefined;
afterAll(() => runtime?.close());
let run: (samples: Float32Array) => Promise<{ events: DetectorEvent[]; windows: number; dropped: number }>;

beforeAll(async () => {
  const out = join(dir, 'bundle');
  await trainBundle({
    data: [{ samples: simulate(60, 11), channels: 3, sampleRate: RATE, names: [...SIM_CHANNEL_NAMES] }],
    out,
    features: ['spectrum', 'stats'],
    window: 1024,
    hop: 256,
    quiet: true,
    report: false,
  });
  runtime = await openBundleRuntime(out, { variant: 'int8' });
  const { manifest, extractor, scorer, detector } = runtime;
  run = async (samples) => {
    const counters = emptyPipelineCounters();
    const events = await lastValueFrom(
      buildAlertPipeline(
        { kind: 'bytes', bytes$: from(frames(samples)), format: 'frames', sensorId: 1, channels: 3 },
        {
          spec: manifest.features,
          extractor,
          scorer,
          detector: { rule: detector.rule, calibration: detector },
          batching: { maxBatch: 64, maxDelayMs: 5, maxQueue: 1_000_000 },
          counters,
        },
      ).pipe(toArray()),
    );
    return { events, windows: counters.inference.scored, dropped: counters.inference.dropped };
  };
}, 120_000);

describe('simulator faults vs a bundle trained on its healthy output (int8, device pipeline)', () => {
  it('raises nothing over 10 simulated minutes of a healthy machine', async () => {
    const { events, windows, dropped } = await run(simulate(600, 12345));
    expect(dropped).toBe(0);
    expect(windows).toBeGreaterThan(7000);
    expect(events.filter((e) => e.kind === 'raised')).toEqual([]);
  });

  it.each(FAULT_KINDS)(
    '%s at severity 0.5 raises an alert after it starts and clears after it ends',
    async (kind) => {
      const start = 20;
      const end = 40;
      const { events } = await run(simulate(60, 777, [{ kind, start, end, severity: 0.5 }]));
      const raised = events.filter((e) => e.kind === 'raised');
      expect(raised.length, `${kind}: no alert`).toBeGreaterThanOrEqual(1);
      // No alert from the healthy lead-in: the first raise ends after the fault began.
      expect(raised[0]!.windowEnd.sample).toBeGreaterThan(start * RATE);
      expect(events.some((e) => e.kind === 'cleared' && e.windowEnd.sample > end * RATE)).toBe(true);
    },
  );
});
