import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runToken } from '../../../scripts/process/run-token.js';
import { makeBundle } from '../../fixtures/make-bundle.js';
import { expectRefusal, runThrum } from '../../helpers/thrum-cli.js';

// #13 item 8, `thrum eval`: a bundle whose model is junk exited 1 with a stack; a file too short for one window
// exited 0 and reported F1 0.000 as if it were a result. Both are bad input: exit 2 and one line.

const dir = mkdtempSync(join(tmpdir(), `thrum-eval-refusals-${runToken()}-`));
let bundle: string;
let data: string;

beforeAll(async () => {
  bundle = (await makeBundle({ dir: join(dir, 'bundle') })).dir;
  data = join(dir, 'three-rows.csv');
  writeFileSync(data, 'x,y,z\n0.1,0.2,0.3\n0.2,0.1,0.3\n0.3,0.2,0.1\n');
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('thrum eval refuses bad input with exit 2', () => {
  it('a bundle whose int8 model is junk (its sha256 made to match)', () => {
    const junk = join(dir, 'junk-bundle');
    cpSync(bundle, junk, { recursive: true });
    const bytes = Buffer.from('not an onnx model at all');
    writeFileSync(join(junk, 'model.int8.onnx'), bytes);
    const manifest = JSON.parse(readFileSync(join(junk, 'manifest.json'), 'utf8'));
    manifest.files.int8 = {
      ...manifest.files.int8,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes: bytes.length,
    };
    writeFileSync(join(junk, 'manifest.json'), JSON.stringify(manifest));
    const long = join(dir, 'long.csv');
    writeFileSync(
      long,
      `x,y,z\n${Array.from({ length: 200 }, (_, i) => `${i % 7},${i % 5},${i % 3}`).join('\n')}\n`,
    );
    expectRefusal(
      runThrum(['eval', '--bundle', junk, '--data', long, '--label-all', '0']),
      /cannot load ONNX model .*model\.int8\.onnx/,
    );
  });

  it('a data file with fewer rows than one window: no windows, naming the file, its rows and the window', () => {
    const r = runThrum(['eval', '--bundle', bundle, '--data', data, '--label-all', '0']);
    expectRefusal(
      r,
      /three-rows\.csv: no windows to score: the file has 3 rows and the bundle's window needs 64; give a longer recording/,
    );
    expect(r.stdout).not.toMatch(/F1/);
  });
});
