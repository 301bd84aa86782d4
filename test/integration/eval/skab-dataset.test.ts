import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadSkabFile, SKAB_CHANNELS, selectChannels, skabEntries } from '../../../eval/skab/dataset.js';
import { describeWithDataset } from './with-dataset.js';

describeWithDataset('skab', 'SKAB loader on the real files', (dir) => {
  const manifest = readFileSync(join(dir, 'manifest.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .filter((l) => !l.includes('anomaly-free'));

  it('lists the 34 labelled files of manifest.csv, anomaly-free.csv excluded', () => {
    const entries = skabEntries(dir);
    expect(entries).toHaveLength(manifest.length);
    expect(entries).toHaveLength(34);
    expect(entries.map((e) => e.file)).toContain('valve1/0.csv');
    expect(entries.some((e) => e.file.includes('anomaly-free'))).toBe(false);
  });

  it('reads every file with the row count, anomalous rows and anomaly segment manifest.csv states', () => {
    for (const entry of skabEntries(dir)) {
      const file = loadSkabFile(dir, entry);
      const line = manifest.find((l) => l.startsWith(`data/${entry.file},`)) as string;
      const fields = line.split(',');
      expect(file.labels.length, entry.file).toBe(Number(fields[3]));
      expect(file.samples.length, entry.file).toBe(Number(fields[3]) * SKAB_CHANNELS.length);
      expect(
        file.labels.reduce((a, b) => a + b, 0),
        entry.file,
      ).toBe(Number(fields[6]));
      expect(file.labels.indexOf(1), entry.file).toBe(Number(fields[7]));
      expect(file.labels.lastIndexOf(1), entry.file).toBe(Number(fields[8]));
    }
  });

  it('keeps the 8 sensor columns in file order (first row of valve1/0.csv)', () => {
    const entry = skabEntries(dir).find((e) => e.file === 'valve1/0.csv');
    if (!entry) throw new Error('valve1/0.csv missing from the manifest');
    const file = loadSkabFile(dir, entry);
    const csv = readFileSync(join(dir, 'data', 'valve1/0.csv'), 'utf8')
      .split('\n')[1]
      .split(';');
    expect(Array.from(file.samples.subarray(0, 8))).toEqual(
      csv.slice(1, 9).map((v) => Math.fround(Number(v))),
    );
    const picked = selectChannels(file.samples, ['Accelerometer1RMS', 'Volume Flow RateRMS']);
    expect(picked.length).toBe(file.labels.length * 2);
    expect(picked[1]).toBe(file.samples[7]);
  });
});
