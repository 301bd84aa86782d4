import { describe, expect, it } from 'vitest';
import { BEARING_6205 } from '../../../../shared/bearing.js';
import { faultsAfterEnd, parseSimOptions, type RawSimOptions } from '../../../../tools/sim/sim-options.js';

const defaults: RawSimOptions = {
  rpm: '1780',
  sampleRate: '3200',
  mains: '50',
  fault: [],
  at: [],
  severity: [],
  duration: [],
  format: 'csv',
  baud: '921600',
  sensorId: '1',
  frameSamples: '32',
  sampleFormat: 'int16',
  bearing: '6205',
  gravity: true,
};
const parse = (over: Partial<RawSimOptions>) => parseSimOptions({ ...defaults, ...over }, () => 4242);

describe('parseSimOptions', () => {
  it('defaults: forever at real rate to stdout, drawn seed, healthy', () => {
    const s = parse({});
    expect(s).toMatchObject({
      sampleRate: 3200,
      rpm: 1780,
      mains: 50,
      seed: 4242,
      seedGiven: false,
      seconds: Number.POSITIVE_INFINITY,
      fast: false,
      faults: [],
      target: { kind: 'stdout' },
      bearing: BEARING_6205,
      scale: undefined,
    });
  });

  it('combines --schedule with --fault flags and picks the output', () => {
    const s = parse({
      seed: '9',
      seconds: '2m',
      schedule: 'looseness@10s+5s',
      fault: ['imbalance'],
      at: ['30s'],
      severity: ['0.9'],
      port: '/dev/ttyUSB0',
      baud: '115200',
    });
    expect(s.seed).toBe(9);
    expect(s.seedGiven).toBe(true);
    expect(s.seconds).toBe(120);
    expect(s.faults).toEqual([
      { kind: 'looseness', start: 10, end: 15, severity: 0.5 },
      { kind: 'imbalance', start: 30, end: Number.POSITIVE_INFINITY, severity: 0.9 },
    ]);
    expect(s.target).toEqual({ kind: 'serial', path: '/dev/ttyUSB0', baud: 115200 });
    expect(parse({ out: 'x.csv' }).target).toEqual({ kind: 'file', path: 'x.csv' });
    expect(parse({ out: '-' }).target).toEqual({ kind: 'stdout' });
  });

  it.each([
    [{ fast: true }, /--fast needs --seconds/],
    [{ out: 'a', port: 'b' }, /--out and --port exclude each other/],
    [{ rpm: '60000' }, /2x at 2000.0 Hz, too close to Nyquist/],
    [{ mains: '55' }, /--mains '55': use 50 or 60/],
    [{ seed: '1.5' }, /--seed '1.5' must be a whole number/],
    [{ seconds: '0' }, /--seconds must be more than 0/],
    [{ sampleRate: 'fast' }, /--sample-rate 'fast' is not a number/],
    [{ frameSamples: '5000' }, /--frame-samples 5000 is out of range/],
    [{ resonance: '1500' }, /--resonance 1500 is out of range/],
    [{ bearing: 'n=9' }, /--bearing 'n=9'/],
  ] as const)('rejects %j', (over, message) => {
    expect(() => parse(over as Partial<RawSimOptions>)).toThrow(message);
  });

  it('warns about faults scheduled after the end', () => {
    expect(faultsAfterEnd(parse({ seconds: '10', fault: ['imbalance'], at: ['20s'] }))).toEqual([
      'imbalance at 20s starts after the run ends (--seconds 10s)',
    ]);
    expect(faultsAfterEnd(parse({ fault: ['imbalance'], at: ['20s'] }))).toEqual([]);
  });

  it('--pty: a virtual serial port at a fixed default path or the one given, exclusive with --out/--port', () => {
    expect(parse({ pty: true }).target).toEqual({ kind: 'pty', path: '/tmp/thrum-sim-pty' });
    expect(parse({ pty: '/tmp/x/dev' }).target).toEqual({ kind: 'pty', path: '/tmp/x/dev' });
    expect(() => parse({ pty: true, out: 'a.csv' })).toThrow(/--out and --pty exclude each other/);
    expect(() => parse({ pty: true, port: '/dev/ttyUSB0' })).toThrow(/--port and --pty exclude each other/);
  });
});
