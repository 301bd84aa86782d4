import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLabels, parseLabelFile } from '../../../eval/labels.js';

const dir = mkdtempSync(join(tmpdir(), 'thrum-labels-'));

describe('labels', () => {
  it('parses one value per line, skipping a header, comments and blank lines; non-zero is anomalous', () => {
    expect(Array.from(parseLabelFile('label\n0\n1\n\n# note\n0.0\n2\n', 'l.txt'))).toEqual([0, 1, 0, 1]);
  });

  it('names the file and line of a bad value below the header', () => {
    expect(() => parseLabelFile('label\n0\nyes\n', 'l.txt')).toThrow(/l\.txt:3: 'yes' is not a label/);
  });

  it('reads a label column of a CSV data file', () => {
    const file = join(dir, 'data.csv');
    writeFileSync(file, 'a;b;anomaly\n1;2;0.0\n3;4;1.0\n5;6;0.0\n');
    expect(Array.from(loadLabels({ kind: 'column', column: 'anomaly' }, file, 0, 3))).toEqual([0, 1, 0]);
  });

  it('refuses labels that do not cover every row, naming both files', () => {
    const file = join(dir, 'short.labels');
    writeFileSync(file, '0\n1\n');
    expect(() => loadLabels({ kind: 'files', files: [file] }, 'run.csv', 0, 3)).toThrow(
      new RegExp(`${file}: 2 labels for 3 data rows in run\\.csv`),
    );
  });

  it('asks for one label file per data file', () => {
    expect(() => loadLabels({ kind: 'files', files: [] }, 'run.csv', 0, 3)).toThrow(
      /one label file per data file/,
    );
  });

  it('labels every row with --label-all', () => {
    expect(Array.from(loadLabels({ kind: 'all', value: 1 }, 'x.f32', 0, 4))).toEqual([1, 1, 1, 1]);
  });
});
