import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { binaryMetrics, confusionOf } from '../../../eval/metrics.js';
import { scoreRecording } from '../../../eval/score-recording.js';
import { SKAB_CONFIG } from '../../../eval/skab/config.js';
import { loadSkabFile, SKAB_CHANNELS, selectChannels, skabEntries } from '../../../eval/skab/dataset.js';
import { predictionLines, runSkabProtocol, type SkabProtocolResult } from '../../../eval/skab/protocol.js';
import { rowView } from '../../../eval/summarize.js';
import { openBundleRuntime } from '../../../runtime/open-bundle.js';
import { readBundle } from '../../../shared/bundle/read.js';
import { describeWithDataset } from './with-dataset.js';

// A reduced run of the official protocol: 3 files (a valve closure, a rotor imbalance, an outlet valve).
const FILES = ['valve1/0.csv', 'other/5.csv', 'valve2/1.csv'];

describeWithDataset('skab', 'SKAB protocol, reduced to 3 files (int8, streamed as on the device)', (dir) => {
  const bundles = mkdtempSync(join(tmpdir(), 'thrum-skab-smoke-'));
  let result: SkabProtocolResult;
  const progress: string[] = [];

  beforeAll(async () => {
    result = await runSkabProtocol({
      dir,
      files: FILES,
      keepBundles: bundles,
      onProgress: (l) => progress.push(l),
    });
  }, 60_000);

  it('reports progress per file and pools exactly the test rows (400...) of the 3 files', () => {
    expect(progress).toHaveLength(3);
    expect(progress[0]).toMatch(/^\[1\/3\] valve1\/0\.csv/);
    const entries = skabEntries(dir).filter((e) => FILES.includes(e.file));
    const testRows = entries.reduce((n, e) => n + e.rows - 400, 0);
    expect(result.testRows).toBe(testRows);
    const p = result.variants.int8?.pooled;
    expect((p?.tp ?? 0) + (p?.fp ?? 0) + (p?.tn ?? 0) + (p?.fn ?? 0)).toBe(testRows);
  });

  it('writes file,row,pred for every test row, and the pooled figures follow from those lines', () => {
    const lines = predictionLines(result, 'int8');
    expect(lines[0]).toBe('file,row,pred');
    const preds = new Map<string, number[]>();
    for (const line of lines.slice(1)) {
      const [file, row, pred] = line.split(',');
      expect(['0', '1']).toContain(pred);
      expect(Number(row)).toBeGreaterThanOrEqual(400);
      const list = preds.get(file) ?? [];
      expect(Number(row)).toBe(400 + list.length); // every test row, in order, none missing
      list.push(Number(pred));
      preds.set(file, list);
    }
    expect([...preds.keys()]).toEqual(FILES);
    const all: number[] = [];
    const labels: number[] = [];
    for (const entry of skabEntries(dir).filter((e) => FILES.includes(e.file))) {
      const list = preds.get(entry.file) ?? [];
      expect(list.length).toBe(entry.rows - 400);
      all.push(...list);
      labels.push(...loadSkabFile(dir, entry).labels.subarray(400));
    }
    const recomputed = binaryMetrics(confusionOf(all, labels));
    expect(result.variants.int8?.pooled).toMatchObject(recomputed);
  });

  it('detects the rotor imbalance of other/5.csv (a fault 100x the normal vibration)', () => {
    const other5 = result.variants.int8?.perFile.find((f) => f.file === 'other/5.csv');
    expect(other5?.mar).toBeLessThan(10);
  });

  it('leaves device-readable bundles whose manifest carries the threshold used', async () => {
    const { manifest } = await readBundle(join(bundles, 'valve1-0'));
    const used = result.files.find((f) => f.entry.file === 'valve1/0.csv')?.variants.int8?.threshold;
    expect(manifest.variants.int8.threshold).toBe(used);
    expect(manifest.training.trainWindows).toBeGreaterThan(0);
    expect(manifest.training.files[0]).toMatch(/valve1\/0\.csv rows 0-399/);
  });

  it('uses no future data: streaming the file cut at row 700 gives the same predictions up to row 699', async () => {
    const entry = skabEntries(dir).find((e) => e.file === 'valve1/0.csv');
    if (!entry) throw new Error('valve1/0.csv missing');
    const channels = SKAB_CONFIG.channels ?? SKAB_CHANNELS;
    const samples = selectChannels(loadSkabFile(dir, entry).samples, channels);
    const cut = 700;
    const model = await openBundleRuntime(join(bundles, 'valve1-0'), { variant: 'int8' });
    try {
      const truncated = await scoreRecording(model, samples.subarray(0, cut * channels.length), 'cut');
      const full = result.files.find((f) => f.entry.file === 'valve1/0.csv')?.variants.int8?.recording;
      if (!full) throw new Error('no full run');
      const a = rowView(truncated).predictions;
      const b = rowView(full).predictions.subarray(0, cut);
      expect(Array.from(a)).toEqual(Array.from(b));
    } finally {
      await model.close();
    }
  });
});
