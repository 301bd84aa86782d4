import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { tempDir } from '../e2e/daemon-harness.js';
import { makeBundle } from '../fixtures/make-bundle.js';

// Issue #7 (5): a bad config or a bad bundle stops `thrum run` before anything is opened: exit 2, ONE line on
// stderr that names the key or the file, and the outbox is neither created nor touched.

const ROOT = resolve(import.meta.dirname, '../..');
const tmp = tempDir();
let goodBundle: string;
beforeAll(async () => {
  goodBundle = (await makeBundle({ dir: join(tmp.dir, 'bundle') })).dir;
}, 60_000);
afterAll(() => tmp.remove());

type Doc = Record<string, Record<string, unknown>>;

interface Case {
  name: string;
  /** Changes the valid config document (delete or replace keys). */
  config?(doc: Doc, caseDir: string): void;
  /** Breaks a copy of the good bundle. */
  bundle?(dir: string): void;
  /** Writes the config file itself (syntax errors); default: YAML of the document. */
  raw?(doc: Doc): string;
  /** What the one stderr line must name. */
  names: string;
  /** An outbox file exists before the run and must be left byte-for-byte and mtime alone. */
  existingOutbox?: boolean;
}

/** `section.key` (or `section`) of the config document set to a value. */
const set =
  (path: string, value: unknown) =>
  (d: Doc): void => {
    const [section, key] = path.split('.') as [string, string | undefined];
    if (key === undefined) d[section] = value as Record<string, unknown>;
    else d[section]![key] = value;
  };

const unset =
  (path: string) =>
  (d: Doc): void => {
    const [section, key] = path.split('.') as [string, string | undefined];
    if (key === undefined) delete d[section];
    else delete d[section]![key];
  };

interface ManifestDoc {
  model: { inputSize: number };
}

const manifestEdit = (edit: (m: ManifestDoc) => void) => (dir: string) => {
  const file = join(dir, 'manifest.json');
  const m = JSON.parse(readFileSync(file, 'utf8')) as ManifestDoc;
  edit(m);
  writeFileSync(file, JSON.stringify(m, null, 2));
};

const CASES: Case[] = [
  { name: 'device.id of the wrong type', config: set('device.id', ['pump']), names: 'device.id' },
  {
    name: 'serial.channels a string',
    config: set('serial.channels', 'three'),
    names: 'serial.channels',
  },
  {
    name: 'serial.sampleRate negative',
    config: set('serial.sampleRate', -800),
    names: 'serial.sampleRate',
  },
  {
    name: 'mqtt.keepalive a string',
    config: set('mqtt.keepalive', 'soon'),
    names: 'mqtt.keepalive',
  },
  { name: 'unknown top-level key', config: set('mqt', { url: 'mqtt://x:1' }), names: 'mqt' },
  { name: 'misspelt nested key', config: set('serial.baudrate', 9600), names: 'baudrate' },
  { name: 'missing device section', config: unset('device'), names: 'device' },
  { name: 'missing mqtt.url', config: unset('mqtt.url'), names: 'mqtt.url' },
  {
    name: 'missing serial.channels',
    config: unset('serial.channels'),
    names: 'serial.channels',
  },
  {
    name: 'inline mqtt.password',
    config: set('mqtt.password', 'hunter2'),
    names: 'mqtt.password',
  },
  { name: 'detector k > n', config: set('detector', { k: 5, n: 3 }), names: 'detector.k' },
  {
    name: 'mqtt.url without a scheme',
    config: set('mqtt.url', '127.0.0.1:1883'),
    names: 'mqtt.url',
  },
  {
    name: 'reconnectMaxMs below reconnectPeriodMs',
    config: (d) => {
      Object.assign(d.mqtt!, { reconnectPeriodMs: 5000, reconnectMaxMs: 1000 });
    },
    names: 'mqtt.reconnectMaxMs',
  },
  {
    name: 'outbox.maxBytes too small',
    config: set('outbox.maxBytes', 100),
    names: 'outbox.maxBytes',
  },
  { name: 'unknown model.variant', config: set('model.variant', 'int4'), names: 'model.variant' },
  { name: 'YAML syntax error', raw: () => 'device: {id: pump\nserial: [\n', names: 'thrum.yaml' },
  {
    name: 'bundle directory missing',
    config: (d, dir) => {
      d.model!.bundle = join(dir, 'no-such-bundle');
    },
    names: 'no-such-bundle',
  },
  {
    name: 'bundle without manifest.json',
    bundle: (b) => rmSync(join(b, 'manifest.json')),
    names: 'manifest.json',
  },
  {
    name: 'manifest.json not JSON',
    bundle: (b) => writeFileSync(join(b, 'manifest.json'), '{"schemaVersion": '),
    names: 'manifest.json',
  },
  {
    name: 'tampered int8 model bytes',
    bundle: (b) => {
      const file = join(b, 'model.int8.onnx');
      const bytes = readFileSync(file);
      bytes[bytes.length >> 1] ^= 0xff;
      writeFileSync(file, bytes);
    },
    names: 'model.int8.onnx',
    existingOutbox: true,
  },
  {
    name: 'int8 model file missing',
    bundle: (b) => rmSync(join(b, 'model.int8.onnx')),
    names: 'model.int8.onnx',
  },
  {
    name: 'manifest inputSize does not match the feature spec',
    bundle: manifestEdit((m) => {
      m.model.inputSize += 5;
    }),
    names: 'inputSize',
  },
  {
    name: 'bundle channels differ from serial.channels',
    config: set('serial.channels', 2),
    names: 'serial.channels',
    existingOutbox: true,
  },
];

function baseDoc(caseDir: string, bundle: string): Doc {
  return {
    device: { id: 'reliability-pump' },
    serial: { path: join(caseDir, 'no-port'), baudRate: 921600, channels: 3, sampleRate: 800, sensorId: 1 },
    model: { bundle, variant: 'int8' },
    mqtt: { url: 'mqtt://127.0.0.1:1' },
    outbox: { path: join(caseDir, 'outbox.db') },
  };
}

function runThrum(config: string): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/thrum.js'), 'run', '--config', config], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.on('exit', (code) => res({ code, stderr, stdout }));
  });
}

describe('reliability: bad config and bad bundle', () => {
  it(`refuses ${CASES.length} bad inputs with exit 2, one line naming the culprit, outbox untouched`, async () => {
    expect(CASES.length).toBeGreaterThanOrEqual(20);
    const results: Array<{ name: string; code: number | null; stderr: string; outboxOk: boolean }> = [];
    const runCase = async (c: Case, i: number) => {
      const caseDir = join(tmp.dir, `case-${i}`);
      mkdirSync(caseDir);
      let bundle = goodBundle;
      if (c.bundle) {
        bundle = join(caseDir, 'bundle');
        cpSync(goodBundle, bundle, { recursive: true });
        c.bundle(bundle);
      }
      const doc = baseDoc(caseDir, bundle);
      c.config?.(doc, caseDir);
      const file = join(caseDir, 'thrum.yaml');
      writeFileSync(file, c.raw ? c.raw(doc) : stringify(doc));
      const outbox = join(caseDir, 'outbox.db');
      const marker = Buffer.from('not a database: must stay as written\n');
      if (c.existingOutbox) writeFileSync(outbox, marker);
      const before = c.existingOutbox ? statSync(outbox).mtimeMs : 0;
      const r = await runThrum(file);
      const outboxOk = c.existingOutbox
        ? readFileSync(outbox).equals(marker) && statSync(outbox).mtimeMs === before
        : !existsSync(outbox) && !existsSync(`${outbox}-wal`);
      results[i] = { name: c.name, code: r.code, stderr: r.stderr, outboxOk };
    };
    // Three at a time: each run is a separate node process; the machine has two cores.
    for (let i = 0; i < CASES.length; i += 3)
      await Promise.all(CASES.slice(i, i + 3).map((c, j) => runCase(c, i + j)));

    const summary = results.map((r, i) => ({
      name: r.name,
      code: r.code,
      oneLine: r.stderr.trim().length > 0 && !r.stderr.trim().includes('\n'),
      names: r.stderr.includes(CASES[i]!.names),
      outboxOk: r.outboxOk,
      stderr: r.stderr.trim(),
    }));
    console.info(
      `[reliability] bad input: ${summary.length} cases\n${summary.map((s) => `  ${s.code} ${s.name}: ${s.stderr}`).join('\n')}`,
    );
    const bad = summary.filter((s) => s.code !== 2 || !s.oneLine || !s.names || !s.outboxOk);
    expect(bad).toEqual([]);
  }, 120_000);
});
