import { from, lastValueFrom, map, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { SampleEvent } from '../../../../runtime/operators/decode-samples.js';
import { emptyWindowCounters, toWindows } from '../../../../runtime/operators/to-windows.js';
import type { SampleWindow } from '../../../../runtime/operators/windows.js';

const spec = { channels: 2, window: 4, hop: 2, sampleRate: 1000 };

/** A batch of `count` 2-channel samples numbered from `first` (value = sample index, both channels). */
function batch(first: number, count: number, sensorId = 1): SampleEvent {
  const samples = new Float32Array(count * 2);
  for (let i = 0; i < count; i++) samples.fill(first + i, 2 * i, 2 * i + 2);
  return { type: 'samples', batch: { sensorId, channels: 2, samples } };
}

const gap = (sensorId = 1): SampleEvent => ({
  type: 'gap',
  sensorId,
  expectedSeq: 2,
  receivedSeq: 4,
  missingFrames: 2,
});

/** Copies what is only valid during delivery. */
const snapshot = (w: SampleWindow) => ({ ...w, samples: Array.from(w.samples) });

const run = (events: SampleEvent[], counters = emptyWindowCounters()) =>
  lastValueFrom(from(events).pipe(toWindows(spec, { counters }), map(snapshot), toArray()));

describe('toWindows', () => {
  it('cuts windows with the spec’s hop across batch boundaries', async () => {
    const windows = await run([batch(0, 3), batch(3, 5)]);
    expect(windows.map((w) => [w.startSample, w.endSample])).toEqual([
      [0, 4],
      [2, 6],
      [4, 8],
    ]);
    expect(windows[1].samples).toEqual([2, 2, 3, 3, 4, 4, 5, 5]);
  });

  it('never lets a window span a gap: the sensor’s windower restarts after it', async () => {
    const counters = emptyWindowCounters();
    const windows = await run([batch(0, 3), gap(), batch(100, 4)], counters);
    expect(windows.map((w) => w.samples[0])).toEqual([100]);
    expect(counters.resets).toBe(1);
  });

  it('keeps sensors apart', async () => {
    const windows = await run([batch(0, 2, 1), batch(50, 4, 2), batch(2, 2, 1)]);
    expect(windows.map((w) => [w.sensorId, w.samples[0]])).toEqual([
      [2, 50],
      [1, 0],
    ]);
  });

  it('skips and counts batches with the wrong channel count', async () => {
    const counters = emptyWindowCounters();
    const wrong: SampleEvent = {
      type: 'samples',
      batch: { sensorId: 1, channels: 3, samples: new Float32Array(30) },
    };
    const windows = await run([wrong, batch(0, 4)], counters);
    expect(windows).toHaveLength(1);
    expect(counters).toEqual({ windows: 1, resets: 0, rejectedBatches: 1 });
  });

  it('stamps each window with the arrival time of its last sample and the span before it', () => {
    const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a 9ms b 9ms |', { a: batch(0, 3), b: batch(3, 3) });
      const out = source.pipe(
        toWindows(spec, {}, ts),
        map((w) => `${w.startSample}@${w.startTimeMs}-${w.endTimeMs}`),
      );
      // The windows [0,4) and [2,6) both complete in batch b, which arrives at 10 ms; 4 samples span 3 ms.
      expectObservable(out).toBe('10ms (xy) 6ms |', { x: '0@7-10', y: '2@7-10' });
      expectSubscriptions(source.subscriptions).toBe('^ 19ms !');
    });
  });
});
