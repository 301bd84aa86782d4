import { describe, expect, it } from 'vitest';
import { createDecoder, type DecodeEvent } from '../../../../shared/protocol/index.js';
import type { ByteSink } from '../../../../tools/sim/byte-sink.js';
import type { PaceClock as Clock } from '../../../../tools/sim/pacer.js';
import { runSim } from '../../../../tools/sim/run-sim.js';
import { createSampleEncoder, type EncoderSettings } from '../../../../tools/sim/sample-encoder.js';
import { parseSchedule, resolveSchedule } from '../../../../tools/sim/schedule.js';
import { VibrationSim } from '../../../../tools/sim/vibration-sim.js';

const FS = 3200;

class MemorySink implements ByteSink {
  readonly description = 'memory';
  chunks: Uint8Array[] = [];
  writeTimes: number[] = [];
  closedByReader = false;
  droppedBytes = 0;
  constructor(private readonly clock?: FakeClock) {}
  async write(bytes: Uint8Array) {
    this.chunks.push(bytes);
    this.writeTimes.push(this.clock?.t ?? 0);
  }
  async close() {}
  bytes(): Uint8Array {
    return Buffer.concat(this.chunks);
  }
}

/** Time moves only when the code under test sleeps. */
class FakeClock implements Clock {
  t = 1000;
  slept = 0;
  now() {
    return this.t;
  }
  async sleep(ms: number) {
    this.t += ms;
    this.slept += ms;
  }
}

const sim = (seed = 1, schedule = 'bearing-outer@0.2s') =>
  new VibrationSim({
    sampleRate: FS,
    rpm: 1780,
    mains: 50,
    seed,
    faults: resolveSchedule(parseSchedule(schedule)),
  });

function encoder(overrides: Partial<EncoderSettings> = {}) {
  return createSampleEncoder({
    format: 'csv',
    channels: 3,
    sampleRate: FS,
    timestamps: false,
    sensorId: 1,
    frameSamples: 32,
    sampleFormat: 'int16',
    ...overrides,
  });
}

async function produce(opts: {
  fast: boolean;
  seed?: number;
  enc?: Partial<EncoderSettings>;
  seconds?: number;
}) {
  const clock = new FakeClock();
  const sink = new MemorySink(clock);
  const result = await runSim({
    sim: sim(opts.seed),
    encoder: encoder(opts.enc),
    sink,
    sampleRate: FS,
    seconds: opts.seconds ?? 0.5,
    fast: opts.fast,
    clock,
  });
  return { result, sink, clock };
}

function decodeAll(
  format: 'csv' | 'frames',
  bytes: Uint8Array,
): { samples: number[]; events: DecodeEvent[] } {
  const decoder = createDecoder(format, { channels: 3 });
  const events = [...decoder.push(bytes), ...decoder.flush()];
  const samples = events.flatMap((e) => (e.type === 'samples' ? Array.from(e.batch.samples) : []));
  return { samples, events };
}

describe('runSim', () => {
  it.each(['csv', 'frames'] as const)(
    '%s: same seed gives identical bytes, fast or paced; another seed differs',
    async (format) => {
      const enc = { format };
      const fast = await produce({ fast: true, enc });
      const paced = await produce({ fast: false, enc });
      const again = await produce({ fast: true, enc });
      const other = await produce({ fast: true, enc, seed: 2 });
      expect(fast.result).toEqual({ samples: 1600, bytes: fast.sink.bytes().length, stoppedBy: 'end' });
      expect(Buffer.compare(paced.sink.bytes(), fast.sink.bytes())).toBe(0);
      expect(Buffer.compare(again.sink.bytes(), fast.sink.bytes())).toBe(0);
      expect(Buffer.compare(other.sink.bytes(), fast.sink.bytes())).not.toBe(0);
    },
  );

  it('csv decodes back to exactly the simulated samples', async () => {
    const { sink } = await produce({ fast: true, seconds: 0.25 });
    const reference = new Float32Array(800 * 3);
    sim().fill(reference);
    expect(decodeAll('csv', sink.bytes()).samples).toEqual(Array.from(reference));
  });

  it('csv timestamps count µs from the sample index', async () => {
    const { sink } = await produce({ fast: true, seconds: 0.01, enc: { timestamps: true } });
    const lines = Buffer.from(sink.bytes()).toString().trim().split('\n');
    expect(lines).toHaveLength(32);
    expect(lines.map((l) => Number(l.split(',')[0]))).toEqual(
      Array.from({ length: 32 }, (_, i) => Math.round((i * 1e6) / FS)),
    );
    expect(lines[0]!.split(',')).toHaveLength(4);
  });

  it('frames: fixed-size frames with consecutive sequence numbers, values within int16 precision', async () => {
    const { sink } = await produce({
      fast: true,
      seconds: 0.5,
      enc: { format: 'frames', frameSamples: 32, sensorId: 7 },
    });
    const { samples, events } = decodeAll('frames', sink.bytes());
    const batches = events.flatMap((e) => (e.type === 'samples' ? [e.batch] : []));
    expect(events.filter((e) => e.type !== 'samples')).toEqual([]);
    expect(batches).toHaveLength(50);
    expect(batches.map((b) => b.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(batches.every((b) => b.sensorId === 7 && b.samples.length === 96)).toBe(true);
    const reference = new Float32Array(1600 * 3);
    sim().fill(reference);
    // Auto scale: one count is the frame's peak / 32767, about 1.05 g / 32767 here.
    const worst = Math.max(...samples.map((v, i) => Math.abs(v - reference[i]!)));
    expect(worst).toBeLessThan(2e-4);
    expect(samples).toHaveLength(reference.length);
  });

  it('paces writes by the wall clock: a block goes out when its last sample is due, without drift', async () => {
    const { sink, clock } = await produce({ fast: false, seconds: 1 });
    expect(sink.chunks).toHaveLength(20); // 50 ms blocks
    sink.writeTimes.forEach((t, i) => {
      expect(t - 1000).toBeCloseTo((i + 1) * 50, 6);
    });
    expect(clock.slept).toBeCloseTo(1000, 6);
  });

  it('fast mode never sleeps', async () => {
    const { clock } = await produce({ fast: true, seconds: 1 });
    expect(clock.slept).toBe(0);
  });

  it('stops on abort and when the reader goes away', async () => {
    const controller = new AbortController();
    const clock = new FakeClock();
    const sink = new MemorySink(clock);
    const origSleep = clock.sleep.bind(clock);
    clock.sleep = async (ms) => {
      await origSleep(ms);
      if (clock.t > 1000 + 200) controller.abort();
    };
    const aborted = await runSim({
      sim: sim(),
      encoder: encoder(),
      sink,
      sampleRate: FS,
      seconds: Number.POSITIVE_INFINITY,
      fast: false,
      clock,
      signal: controller.signal,
    });
    expect(aborted.stoppedBy).toBe('signal');
    // The abort lands while waiting for the 5th block (due at 250 ms): that block still goes out whole.
    expect(aborted.samples).toBe(5 * 160);
    expect(sink.chunks).toHaveLength(5);

    const leaving = new MemorySink();
    leaving.write = async function (bytes) {
      this.chunks.push(bytes);
      if (this.chunks.length === 3) this.closedByReader = true;
    };
    const left = await runSim({
      sim: sim(),
      encoder: encoder(),
      sink: leaving,
      sampleRate: FS,
      seconds: Number.POSITIVE_INFINITY,
      fast: true,
    });
    expect(left).toMatchObject({ stoppedBy: 'reader', samples: 3 * 8192 });
  });
});
