/**
 * A two-pole resonator: an impulse makes it ring at `frequencyHz` and decay with damping ratio `zeta`, the
 * way a struck bearing housing does. Fed with noise it gives a band of structural response.
 */
export class Resonator {
  private readonly a1: number;
  private readonly a2: number;
  /** Input gain that makes a unit impulse ring with a peak near 1. */
  private readonly gain: number;
  private y1 = 0;
  private y2 = 0;

  constructor(frequencyHz: number, zeta: number, sampleRate: number) {
    const w0 = (2 * Math.PI * frequencyHz) / sampleRate;
    const r = Math.exp(-zeta * w0);
    const wd = w0 * Math.sqrt(1 - zeta * zeta);
    this.a1 = 2 * r * Math.cos(wd);
    this.a2 = r * r;
    this.gain = Math.sin(wd);
  }

  step(input: number): number {
    const y = this.a1 * this.y1 - this.a2 * this.y2 + this.gain * input;
    this.y2 = this.y1;
    this.y1 = y;
    return y;
  }
}
