import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, share, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileSource } from '../../../../device/source/file-source.js';
import { ortEngineFactory } from '../../../../runtime/engines/ort-engine.js';
import { decodeSamples } from '../../../../runtime/operators/decode-samples.js';
import { detect } from '../../../../runtime/operators/detect.js';
import { emptyScoringCounters, scoreBatches } from '../../../../runtime/operators/score-batches.js';
import { toFeatures } from '../../../../runtime/operators/to-features.js';
import { toWindows } from '../../../../runtime/operators/to-windows.js';
import type { TimedScoredWindow } from '../../../../runtime/operators/windows.js';
import type { InferenceEngine } from '../../../../runtime/scoring/inference-engine.js';
import { createScorer } from '../../../../runtime/scoring/scorer.js';
import { type Bundle, readBundle } from '../../../../shared/bundle/read.js';
import { pValueFloor, pValueOf } from '../../../../shared/detector/p-value.js';
import type { DetectorEvent } from '../../../../shared/detector/types.js';
import { FeatureExtractor } from '../../../../shared/features/extractor.js';
import { encodeCsv } from '../../../../shared/protocol/index.js';
import { makeBundle, syntheticVibration } from '../../../fixtures/make-bundle.js';

// A recorded csv file replayed through the whole device pipeline with a real trained bundle and ONNX Runtime:
// the same path `thrum run` takes from a serial port, and what `thrum eval` relies on.
const dir = mkdtempSync(join(tmpdir(), 'thrum-replay-'));
const SAMPLE_RATE = 800;
const FAULT_AT_S = 12;

let bundle: Bundle;
let engine: InferenceEngine;
let scored: TimedScoredWindow[];
let events: DetectorEvent[];
const counters = emptyScoringCounters();

beforeAll(async () => {
  await makeBundle({ dir: join(dir, 'bundle') });
  bundle = await readBundle(join(dir, 'bundle'));
  engine = await ortEngineFactory(bundle)('int8');
  const recording = join(dir, 'recording.csv');
  const samples = syntheticVibration({ seconds: 24, seed: 1234, fault: 'tone', faultFrom: FAULT_AT_S });
  writeFileSync(recording, `x,y,z\n${encodeCsv(samples, 3)}`);

  const { manifest } = bundle;
  const extractor = new FeatureExtractor(manifest.features, manifest.normalization, manifest.channelNames);
  const scores$ = createFileSource(recording).chunks$.pipe(
    decodeSamples('csv', { channels: 3 }),
    toWindows(manifest.features),
    toFeatures(extractor),
    // An unpaced replay arrives faster than real time: a queue as long as the file keeps every window.
    scoreBatches(createScorer(engine, extractor.groups), {
      maxBatch: 64,
      maxDelayMs: 5,
      maxQueue: 4096,
      counters,
    }),
    share(),
  );
  const all = lastValueFrom(scores$.pipe(toArray()));
  const detected = lastValueFrom(scores$.pipe(detect(manifest.detector, manifest.variants.int8), toArray()));
  [scored, events] = await Promise.all([all, detected]);
}, 120_000);

afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('replaying a recording through the pipeline with a trained bundle', () => {
  it('scores every window of the file, in order', () => {
    const { window, hop } = bundle.manifest.features;
    const expected = Math.floor((24 * SAMPLE_RATE - window) / hop) + 1;
    expect(scored).toHaveLength(expected);
    expect(counters).toMatchObject({ windows: expected, scored: expected, dropped: 0 });
    expect(scored.map((w) => w.startSample)).toEqual(Array.from({ length: expected }, (_, i) => i * hop));
  });

  it('raises once the fault starts, not before, naming the groups that drove the error', () => {
    const raised = events.filter((e) => e.kind === 'raised');
    expect(raised.length).toBeGreaterThanOrEqual(1);
    const first = events[0];
    expect(first.kind).toBe('raised');
    expect(first.windowEnd.sample).toBeGreaterThan(FAULT_AT_S * SAMPLE_RATE);
    expect(first.score).toBeGreaterThan(first.threshold);
    expect(first.threshold).toBe(bundle.manifest.variants.int8.threshold);
    // Far beyond every reference score: the bundle's fitted tail puts it below what the holdout alone could
    // support (1/(n+1)); without a tail it would sit at that floor.
    const reference = bundle.manifest.variants.int8.reference;
    expect(first.pValue).toBe(pValueOf(reference, first.score));
    if (reference.tail) expect(first.pValue).toBeLessThan(pValueFloor(reference));
    else expect(first.pValue).toBe(pValueFloor(reference));
    const shares = first.contributions.map((c) => c.share);
    expect(shares.length).toBeGreaterThan(0);
    expect(shares).toEqual([...shares].sort((a, b) => b - a));
    const { features, channelNames } = bundle.manifest;
    const groups = new FeatureExtractor(features, undefined, channelNames).groups.map((g) => g.name);
    for (const c of first.contributions) expect(groups).toContain(c.group);
  });

  it('scores healthy windows mostly under the threshold and faulty ones over it', () => {
    const { threshold } = bundle.manifest.variants.int8;
    const healthy = scored.filter((w) => w.endSample <= FAULT_AT_S * SAMPLE_RATE);
    const faulty = scored.filter((w) => w.startSample >= FAULT_AT_S * SAMPLE_RATE);
    const overShare = (ws: TimedScoredWindow[]) => ws.filter((w) => w.score > threshold).length / ws.length;
    expect(overShare(healthy)).toBeLessThan(0.05);
    expect(overShare(faulty)).toBeGreaterThan(0.9);
  });
});
