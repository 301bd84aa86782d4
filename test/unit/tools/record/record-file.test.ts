import { describe, expect, it } from 'vitest';
import { RecordFileText } from '../../../../tools/record/record-file.js';
import { parseCsv } from '../../../../trainer/loaders/csv.js';

describe('RecordFileText', () => {
  it('writes the header once, before the first samples, then rows and notes; the trainer reads it back', () => {
    const file = new RecordFileText(3200);
    const text =
      file.render([{ type: 'note', text: 'gap: before anything' }]) +
      file.render([
        { type: 'samples', samples: Float32Array.from([0.1, -0.25, 1, 0.125, 0.5, 0.99]), channels: 3 },
      ]) +
      file.render([{ type: 'note', text: 'gap: sensor 1 lost 2 frame(s)' }]) +
      file.render([{ type: 'samples', samples: Float32Array.from([1e-7, 3.5, -2]), channels: 3 }]);
    expect(text.split('\n')).toEqual([
      '# gap: before anything',
      '# thrum record sampleRate=3200 channels=3 names=x,y,z',
      'x,y,z',
      '0.1,-0.25,1',
      '0.125,0.5,0.99',
      '# gap: sensor 1 lost 2 frame(s)',
      '1e-7,3.5,-2',
      '',
    ]);
    const recording = parseCsv(text, 'mem.csv');
    expect(recording).toMatchObject({ channels: 3, sampleRate: 3200, names: ['x', 'y', 'z'] });
    expect(recording.samples).toEqual(Float32Array.from([0.1, -0.25, 1, 0.125, 0.5, 0.99, 1e-7, 3.5, -2]));
  });

  it('names channels ch0.. when there are not three, or as given', () => {
    const two = new RecordFileText(800).render([
      { type: 'samples', samples: Float32Array.from([1, 2]), channels: 2 },
    ]);
    expect(two.split('\n').slice(0, 2)).toEqual([
      '# thrum record sampleRate=800 channels=2 names=ch0,ch1',
      'ch0,ch1',
    ]);
    const named = new RecordFileText(800, ['a', 'b']).render([
      { type: 'samples', samples: Float32Array.from([1, 2]), channels: 2 },
    ]);
    expect(named.split('\n')[1]).toBe('a,b');
  });
});
