import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileSource } from '../../../../device/source/file-source.js';
import { ThrumError } from '../../../../shared/errors.js';
import type { Log } from '../../../../shared/log.js';
import { VirtualClock } from './virtual-time.js';

const dir = mkdtempSync(join(tmpdir(), 'thrum-file-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function recording(name: string, bytes: number): { path: string; content: Buffer } {
  const content = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) content[i] = (i * 31) & 0xff;
  const path = join(dir, name);
  writeFileSync(path, content);
  return { path, content };
}

describe('createFileSource', () => {
  it('replays the whole file in order and completes', async () => {
    const { path, content } = recording('plain.bin', 200_000);
    const source = createFileSource(path, { chunkBytes: 4096 });
    const chunks = await lastValueFrom(source.chunks$.pipe(toArray()));
    expect(Buffer.concat(chunks).equals(content)).toBe(true);
    expect(source.counters.bytes).toBe(content.length);
    expect(chunks.length).toBeGreaterThan(1);
  });

  it('logs opening and the end of input with stable events', async () => {
    const { path } = recording('logged.bin', 1_000);
    const events: unknown[] = [];
    const record = (fields: object) => events.push((fields as { event?: unknown }).event);
    const logger: Log = { debug: record, info: record, warn: record, error: record };
    await lastValueFrom(createFileSource(path, { logger }).chunks$.pipe(toArray()));
    expect(events).toEqual(['source.open', 'source.ended']);
  });

  it('paces chunks so each arrives when its last byte would at the byte rate', async () => {
    const { path, content } = recording('paced.bin', 1_000);
    const clock = new VirtualClock();
    const source = createFileSource(path, {
      pace: { bytesPerSecond: 500 },
      chunkBytes: 100,
      scheduler: clock.scheduler,
    });
    const arrivals: { atMs: number; total: number }[] = [];
    let total = 0;
    let done = false;
    source.chunks$.subscribe({
      next: (c) => {
        total += c.length;
        arrivals.push({ atMs: clock.now, total });
      },
      complete: () => {
        done = true;
      },
    });
    for (let t = 0; t < 2_200 && !done; t += 50) {
      await clock.untilPending(() => done);
      await clock.advance(50);
    }
    expect(done).toBe(true);
    expect(total).toBe(content.length);
    // 500 B/s: the chunk completing byte b is due at b/500 s; the clock moves in 50 ms steps.
    for (const a of arrivals) {
      expect(a.atMs).toBeGreaterThanOrEqual((a.total / 500) * 1000);
      expect(a.atMs).toBeLessThan((a.total / 500) * 1000 + 50);
    }
  });

  it('fails with BAD_DATA naming the file when it does not exist', async () => {
    const missing = join(dir, 'nope.csv');
    const source = createFileSource(missing);
    const error = await lastValueFrom(source.chunks$).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrumError);
    expect((error as ThrumError).code).toBe('BAD_DATA');
    expect((error as ThrumError).message).toContain(missing);
  });

  it('reports open then ended', async () => {
    const { path } = recording('states.bin', 10);
    const source = createFileSource(path);
    const states: string[] = [];
    source.state$.subscribe((s) => states.push(s.state));
    await lastValueFrom(source.chunks$);
    expect(states).toEqual(['idle', 'open', 'ended']);
  });
});
