import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { replayByteRate } from '../../../../device/source/replay-rate.js';
import { createDecoder, encodeFrame } from '../../../../shared/protocol/index.js';

const dir = mkdtempSync(join(tmpdir(), 'thrum-replay-rate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('replayByteRate', () => {
  it('is file bytes over the recorded duration (samples / sample rate)', async () => {
    const path = join(dir, 'four.csv');
    writeFileSync(path, '1,2\n3,4\n5,6\n7,8'); // 15 bytes, 4 samples, the last without newline
    expect(await replayByteRate(path, createDecoder('csv', { channels: 2 }), 2)).toBe(15 / 2);
  });

  it('counts the duration per sensor when frames of several sensors interleave', async () => {
    const path = join(dir, 'two-sensors.bin');
    const frames = [0, 1, 2, 3].map((seq) =>
      encodeFrame({ sensorId: seq % 2, seq: seq >> 1, channels: 1, samples: [1, 2, 3, 4], format: 'int16' }),
    );
    const bytes = Buffer.concat(frames);
    writeFileSync(path, bytes);
    // Each sensor sent 8 samples: at 4 Hz that is 2 s of recording.
    expect(await replayByteRate(path, createDecoder('frames'), 4)).toBe(bytes.length / 2);
  });

  it('refuses a file with no samples in that format', async () => {
    const path = join(dir, 'text.txt');
    writeFileSync(path, 'hello\nworld\n');
    await expect(replayByteRate(path, createDecoder('frames'), 100)).rejects.toThrow(/no samples decoded/);
  });
});
