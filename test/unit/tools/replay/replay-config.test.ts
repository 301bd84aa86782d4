import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../../../device/config/load-config.js';
import { encodeFrame } from '../../../../shared/protocol/index.js';
import { REPLAY_DEVICE, replayConfigDoc, sniffFormat } from '../../../../tools/replay/replay-config.js';
import { startReplay } from '../../../../tools/replay/start-replay.js';

const dir = mkdtempSync(join(tmpdir(), 'thrum-replay-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('thrum run --replay', () => {
  it('tells frames from csv by the first bytes', () => {
    const csv = join(dir, 'a.csv');
    writeFileSync(csv, '# thrum record sampleRate=3200 channels=3 names=x,y,z\n0.1,0.2,0.3\n');
    const frames = join(dir, 'a.bin');
    writeFileSync(
      frames,
      encodeFrame({ sensorId: 1, seq: 0, channels: 3, samples: [1, 2, 3], format: 'int16' }),
    );
    expect(sniffFormat(csv)).toBe('csv');
    expect(sniffFormat(frames)).toBe('frames');
  });

  it('builds a config the daemon accepts: a file source, int8, the broker given', () => {
    const doc = replayConfigDoc({
      file: '/data/fault.csv',
      bundle: '/b',
      format: 'csv',
      channels: 3,
      sampleRate: 3200,
      realtime: false,
      deviceId: REPLAY_DEVICE,
      brokerUrl: 'mqtt://127.0.0.1:1883',
      protocolVersion: 4,
      outbox: '/tmp/x/outbox.db',
      logLevel: 'warn',
      statusIntervalMs: 30_000,
    });
    const config = validateConfig('/virtual/thrum-replay.yaml', doc);
    expect(config.serial).toMatchObject({ source: 'file', path: '/data/fault.csv', sampleRate: 3200 });
    expect(config.model.variant).toBe('int8');
    expect(config.mqtt.protocolVersion).toBe(4);
  });

  const io = { out: () => {}, err: () => {}, isTty: false, stopped: new Promise<void>(() => {}) };

  it('refuses, in one line naming the flag, a replay without --bundle or of a missing file', async () => {
    await expect(startReplay({ replay: 'x.csv', logLevel: 'warn' }, io)).rejects.toThrow(
      /^--replay needs --bundle DIR: the bundle thrum train wrote/,
    );
    await expect(
      startReplay({ replay: join(dir, 'nope.csv'), bundle: dir, logLevel: 'warn' }, io),
    ).rejects.toThrow(/^--replay .*nope\.csv: no such file/);
  });
});
