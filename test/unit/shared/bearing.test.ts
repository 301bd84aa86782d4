import { describe, expect, it } from 'vitest';
import { BEARING_6205, defectOrders, parseBearing } from '../../../shared/bearing.js';

describe('bearing geometry', () => {
  it('gives the published 6205-2RS defect orders (CWRU: BPFO 3.5848, BPFI 5.4152, FTF 0.3983, 2xBSF 4.7135)', () => {
    const o = defectOrders(BEARING_6205);
    expect(o.bpfo).toBeCloseTo(3.5848, 2);
    expect(o.bpfi).toBeCloseTo(5.4152, 2);
    expect(o.ftf).toBeCloseTo(0.3983, 3);
    // CWRU lists the ball-defect frequency, twice the spin: a spall strikes both races per turn.
    expect(2 * o.bsf).toBeCloseTo(4.7135, 2);
    // Kinematic identity: BPFO + BPFI = n.
    expect(o.bpfo + o.bpfi).toBeCloseTo(BEARING_6205.balls, 9);
  });

  it('parses a named or custom geometry; contact angle lowers the Bd/Pd term', () => {
    expect(parseBearing('6205')).toBe(BEARING_6205);
    const flat = defectOrders(parseBearing('n=12,bd=10,pd=50'));
    const angled = defectOrders(parseBearing('n=12, bd=10, pd=50, angle=40'));
    expect(flat.bpfo).toBeCloseTo(6 * 0.8, 9);
    expect(angled.bpfo).toBeGreaterThan(flat.bpfo);
  });

  it.each([
    ['n=9,bd=7.9', /n, bd and pd are required/],
    ['n=9,bd=40,pd=39', /0 < bd < pd/],
    ['n=2.5,bd=7,pd=39', /integer >= 3/],
    ['n=9,bd=7,pd=39,x=1', /unknown key 'x'/],
    ['6206', /not key=number/],
  ])('rejects %s with a hint', (text, message) => {
    expect(() => parseBearing(text)).toThrow(message);
    expect(() => parseBearing(text)).toThrow(/use 6205 or n=9/);
  });
});
