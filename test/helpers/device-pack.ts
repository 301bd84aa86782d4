// Shared by the device-package tests (pack + install.sh, thrum deploy, the qemu end-to-end runs): packs a
// target once per test file into a temp dir, unpacks it outside the repo (so nothing resolves from the
// clone's node_modules), and writes recordings and configs for the packaged daemon.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PackResult, pack } from '../../tools/pack/pack.js';
import { syntheticVibration } from '../fixtures/make-bundle.js';

export async function packAndUnpack(
  target: string,
  options: { version?: string; withNode?: boolean } = {},
): Promise<{ result: PackResult; tree: string; work: string }> {
  const work = mkdtempSync(join(tmpdir(), `thrum-pack-${target}-`));
  const result = await pack({
    target,
    out: join(work, 'out'),
    version: options.version,
    withNode: options.withNode,
    say: (line) => process.stderr.write(`${line}\n`),
  });
  const unpacked = join(work, 'unpacked');
  mkdirSync(unpacked);
  execFileSync('tar', ['xzf', result.tarball, '-C', unpacked]);
  return { result, tree: join(unpacked, result.dir.split('/').pop()!), work };
}

/** A recording in `thrum record`'s csv format, at the fixture bundle's 800 Hz. */
export function writeRecording(
  file: string,
  options: { seconds: number; fault?: 'tone' | 'gain' | 'offset'; faultFrom?: number; seed?: number },
): string {
  const s = syntheticVibration({ ...options, sampleRate: 800, channels: 3 });
  const lines = ['# thrum record sampleRate=800 channels=3 names=x,y,z'];
  for (let i = 0; i < s.length; i += 3) lines.push(`${s[i]},${s[i + 1]},${s[i + 2]}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** A daemon config that replays `input` (source: file) with the bundle, publishing to `mqttUrl`. */
export function deviceConfig(options: {
  deviceId: string;
  bundle: string;
  input: string;
  mqttUrl: string;
  outbox: string;
  engine?: 'auto' | 'native' | 'wasm';
  realtime?: boolean;
}): string {
  return [
    `device: { id: ${options.deviceId} }`,
    `serial: { source: file, path: ${options.input}, format: csv, channels: 3, sampleRate: 800, realtime: ${options.realtime ?? false} }`,
    `model: { bundle: ${options.bundle}, variant: int8, engine: ${options.engine ?? 'auto'} }`,
    `mqtt: { url: '${options.mqttUrl}', protocolVersion: 4 }`,
    `outbox: { path: ${options.outbox} }`,
    'log: { level: info }',
    '',
  ].join('\n');
}
