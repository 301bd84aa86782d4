import { createHash } from 'node:crypto';
import {
  closeSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runToken } from '../../../../scripts/process/run-token.js';
import { makeBundle } from '../../../fixtures/make-bundle.js';
import { expectRefusal, runThrum } from '../../../helpers/thrum-cli.js';
import { makeTestCerts, type TestCerts } from '../../../helpers/tls-certs.js';

// #13 item 8: inputs that `--check-config` called OK and `thrum run` then crashed on with a stack trace. Each
// must now be refused by both, through the real CLI, with exit 2 and one line naming the key or the file.

const dir = mkdtempSync(join(tmpdir(), `thrum-refusals-${runToken()}-`));
let bundle: string;
let certs: TestCerts;

beforeAll(async () => {
  bundle = (await makeBundle({ dir: join(dir, 'bundle') })).dir;
  certs = makeTestCerts();
}, 120_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  certs?.remove();
});

type Doc = Record<string, Record<string, unknown>>;

function config(edit: (c: Doc) => void = () => {}): string {
  const c: Doc = {
    device: { id: 'refuse-1' },
    serial: { path: '/dev/ttyTHRUM-none', baudRate: 921600, channels: 3, sampleRate: 800 },
    model: { bundle },
    mqtt: { url: 'mqtt://127.0.0.1:1', connectTimeoutMs: 500 },
    outbox: { path: join(dir, 'outbox.db') },
  };
  edit(c);
  const file = join(dir, `c${Math.random().toString(16).slice(2)}.yaml`);
  writeFileSync(file, stringify(c));
  return file;
}

/** A copy of the fixture bundle, changed by `edit(dir, manifest)`; the manifest is written back. */
// biome-ignore lint/suspicious/noExplicitAny: the test writes what the schema would refuse
function bundleCopy(edit: (dir: string, manifest: Record<string, any>) => void): string {
  const copy = join(dir, `bundle-${Math.random().toString(16).slice(2)}`);
  cpSync(bundle, copy, { recursive: true });
  const path = join(copy, 'manifest.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8'));
  edit(copy, manifest);
  writeFileSync(path, JSON.stringify(manifest));
  return copy;
}

/** Replaces a model file and makes the manifest agree with it, so only loading it can tell. */
// biome-ignore lint/suspicious/noExplicitAny: see bundleCopy
function replaceModel(copy: string, manifest: Record<string, any>, variant: 'int8' | 'fp32', bytes: Buffer) {
  const file = join(copy, manifest.files[variant].path);
  writeFileSync(file, bytes);
  manifest.files[variant].sha256 = createHash('sha256').update(bytes).digest('hex');
  manifest.files[variant].bytes = bytes.length;
}

/** Both `--check-config` and `thrum run` refuse the config with exit 2 and one line matching `pattern`. */
function expectBothRefuse(file: string, pattern: RegExp): void {
  expectRefusal(runThrum(['run', '--config', file, '--check-config']), pattern);
  expectRefusal(runThrum(['run', '--config', file], {}, 30_000), pattern);
}

describe('thrum run and --check-config refuse what run used to crash on', () => {
  it('a client key that does not belong to the client certificate', () => {
    const file = config((c) => {
      c.mqtt = { url: 'mqtts://127.0.0.1:1', ca: certs.ca, cert: certs.clientCert, key: certs.otherKey };
    });
    expectBothRefuse(
      file,
      /mqtt\.key: ".*other\.key" is not the private key of the certificate in mqtt\.cert/,
    );
  });

  it('a CA file that is not PEM, and one whose certificate does not parse', () => {
    const junk = join(dir, 'junk-ca.pem');
    writeFileSync(junk, 'this is not a certificate\n');
    expectBothRefuse(
      config((c) => (c.mqtt = { url: 'mqtts://127.0.0.1:1', ca: junk })),
      /mqtt\.ca: ".*junk-ca\.pem" holds no PEM certificate/,
    );
    const broken = join(dir, 'broken-ca.pem');
    writeFileSync(broken, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    expectRefusal(
      runThrum([
        'run',
        '--config',
        config((c) => (c.mqtt = { url: 'mqtts://127.0.0.1:1', ca: broken })),
        '--check-config',
      ]),
      /mqtt\.ca: certificate 1 in ".*broken-ca\.pem" does not parse/,
    );
  });

  it('a model file that is junk although its sha256 matches the manifest', () => {
    const copy = bundleCopy((d, m) => replaceModel(d, m, 'int8', Buffer.from('junk, not an ONNX model')));
    const file = config((c) => (c.model = { bundle: copy, variant: 'int8' }));
    expectRefusal(
      runThrum(['run', '--config', file, '--check-config']),
      /model\.int8\.onnx: ONNX Runtime cannot load this model \(manifest\.json files\.int8\): .*copy the bundle again/,
    );
    expectRefusal(
      runThrum(['run', '--config', file], {}, 30_000),
      /cannot load ONNX model .*model\.int8\.onnx/,
    );
  });

  it('a model file that is a symbolic link', () => {
    const copy = bundleCopy((d) => {
      renameSync(join(d, 'model.int8.onnx'), join(d, 'elsewhere.onnx'));
      symlinkSync(join(d, 'elsewhere.onnx'), join(d, 'model.int8.onnx'));
    });
    expectBothRefuse(
      config((c) => (c.model = { bundle: copy, variant: 'int8' })),
      /model\.int8\.onnx: is a symbolic link .*copy the real file there/,
    );
  });

  it('a model file over 256 MiB, refused before it is hashed or parsed', () => {
    const copy = bundleCopy((d, m) => {
      // Sparse: 257 MiB on paper, nothing on disk.
      const fd = openSync(join(d, 'model.int8.onnx'), 'w');
      writeSync(fd, Buffer.from([0]), 0, 1, 257 * 1024 * 1024 - 1);
      closeSync(fd);
      m.files.int8.bytes = 257 * 1024 * 1024;
    });
    expectBothRefuse(
      config((c) => (c.model = { bundle: copy, variant: 'int8' })),
      /files\.int8\.bytes: a model file is at most 268435456 bytes \(256 MiB\), got 269484032/,
    );
  });

  it('a broker port out of range (was ERR_SOCKET_BAD_PORT from net.connect)', () => {
    expectBothRefuse(
      config((c) => (c.mqtt.url = 'mqtt://127.0.0.1:99999')),
      /mqtt\.url: port 99999 is out of range: expected 1 to 65535/,
    );
  });

  it('an outbox path that is a directory', () => {
    const outbox = join(dir, 'outbox-dir');
    mkdirSync(outbox, { recursive: true });
    expectBothRefuse(
      config((c) => (c.outbox.path = outbox)),
      /outbox\.path: ".*outbox-dir" is a directory; name a file in it/,
    );
  });

  it('a billion-laughs YAML document (was a ReferenceError stack, exit 1)', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const file = join(dir, 'laughs.yaml');
    writeFileSync(file, `${levels.join('\n')}\n`);
    expectBothRefuse(file, /laughs\.yaml: invalid YAML: aliases \(\*name\) expand too often/);
  });

  it('a swapped model.onnx while variant is int8: every file the manifest lists is verified', () => {
    const copy = bundleCopy((d) => {
      const fp32 = readFileSync(join(d, 'model.onnx'));
      fp32[fp32.length - 1] ^= 0xff;
      writeFileSync(join(d, 'model.onnx'), fp32);
    });
    expectBothRefuse(
      config((c) => (c.model = { bundle: copy, variant: 'int8' })),
      /model\.onnx: sha256 .* does not match manifest\.json files\.fp32\.sha256/,
    );
  });

  it('still accepts the good config, loading each model once: exit 0 and no warning', () => {
    const r = runThrum(['run', '--config', config(), '--check-config']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/hashes verified/);
  });
});
