import { describe, expect, it } from 'vitest';
import { BEARING_6205, defectOrders } from '../../../../shared/bearing.js';
import {
  argmaxHz,
  channel,
  envelopeSpectrum,
  medianIn,
  peakNear,
  SHAFT_HZ,
  simulate,
} from './signal-analysis.js';

// 2^15 samples = 10.24 s at 3200 Hz: 0.1 Hz bins, enough to separate BPFI from its 1x sidebands.
const N = 32768;
const BAND: [number, number] = [900, 1500];
const { bpfo, bpfi } = defectOrders(BEARING_6205);
const BPFO_HZ = bpfo * SHAFT_HZ;
const BPFI_HZ = bpfi * SHAFT_HZ;

function envelopeOf(schedule: string, axis = 1): Float64Array {
  return envelopeSpectrum(channel(simulate(schedule, N), axis), ...BAND);
}

/** How far a line stands above the envelope spectrum's floor. */
function prominence(env: Float64Array, hz: number): number {
  return peakNear(env, N, hz) / medianIn(env, N, 10, 500);
}

describe('bearing faults in the envelope spectrum (resonance band 900-1500 Hz)', () => {
  const healthy = envelopeOf('');
  const outer = envelopeOf('bearing-outer@0s:0.5');
  const inner = envelopeOf('bearing-inner@0s:0.5');

  it('outer race: the strongest envelope line is BPFO (3.58x), with its 2nd harmonic', () => {
    expect(Math.abs(argmaxHz(outer, N, 10, 500) - BPFO_HZ)).toBeLessThan(0.015 * BPFO_HZ);
    expect(prominence(outer, BPFO_HZ)).toBeGreaterThan(20);
    expect(prominence(outer, 2 * BPFO_HZ)).toBeGreaterThan(5);
    // The outer race does not turn: no load-zone modulation, so no line at 1x in the envelope.
    expect(prominence(outer, SHAFT_HZ)).toBeLessThan(4);
  });

  it('inner race: BPFI (5.42x) with 1x sidebands, and a 1x line from the load zone', () => {
    // The defect passes the load zone once per turn, so the envelope itself swings at 1x; above the shaft
    // orders the strongest line is BPFI.
    expect(Math.abs(argmaxHz(inner, N, 2.5 * SHAFT_HZ, 500) - BPFI_HZ)).toBeLessThan(0.015 * BPFI_HZ);
    expect(prominence(inner, BPFI_HZ)).toBeGreaterThan(20);
    expect(prominence(inner, BPFI_HZ - SHAFT_HZ)).toBeGreaterThan(5);
    expect(prominence(inner, BPFI_HZ + SHAFT_HZ)).toBeGreaterThan(5);
    expect(prominence(inner, SHAFT_HZ)).toBeGreaterThan(5);
    expect(prominence(inner, BPFO_HZ)).toBeLessThan(4);
  });

  it('healthy: no defect line stands out in the envelope', () => {
    expect(prominence(healthy, BPFO_HZ)).toBeLessThan(4);
    expect(prominence(healthy, BPFI_HZ)).toBeLessThan(4);
  });

  it('a larger defect rings harder: the BPFO envelope line grows with severity', () => {
    const lines = [0.2, 0.4, 0.7, 1].map((s) => peakNear(envelopeOf(`bearing-outer@0s:${s}`), N, BPFO_HZ));
    for (let i = 1; i < lines.length; i++) expect(lines[i]!).toBeGreaterThan(lines[i - 1]! * 1.3);
  });
});
