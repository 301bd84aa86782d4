/** Wall time per training stage, for the summary and the report. */
export class Stages {
  readonly ms: Record<string, number> = {};
  private readonly start = performance.now();
  private last = this.start;

  mark(stage: string): void {
    const now = performance.now();
    this.ms[stage] = Math.round(now - this.last);
    this.last = now;
  }

  total(): number {
    return Math.round(performance.now() - this.start);
  }
}
