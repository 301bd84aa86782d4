import { mergeEviction } from './eviction-plan.js';
import type { OutboxEntry, PendingAlert, PendingEviction } from './outbox.js';

export type BufferedAlert = PendingAlert & { bytes: number };

/**
 * Where alerts wait while the disk is full. Bounded: past `max` alerts the oldest is dropped and counted in
 * one `ram` eviction record per sensor, which is kept (and later written) like any other entry.
 */
export class RamBuffer {
  private alerts: BufferedAlert[] = [];
  private evictions = new Map<number, PendingEviction>();
  dropped = 0;

  constructor(
    private readonly max: number,
    private readonly newId: () => string,
  ) {}

  get size(): number {
    return this.alerts.length + this.evictions.size;
  }

  get alertCount(): number {
    return this.alerts.length;
  }

  get bytes(): number {
    return this.alerts.reduce((sum, a) => sum + a.bytes, 0);
  }

  push(alert: BufferedAlert, now: number): void {
    this.alerts.push(alert);
    while (this.alerts.length > this.max) this.drop(this.alerts.shift()!, now);
  }

  /** Eviction records first (they describe older seqs), then alerts in append order. */
  entries(): OutboxEntry[] {
    return [...this.evictions.values(), ...this.alerts];
  }

  remove(id: string): boolean {
    const at = this.alerts.findIndex((a) => a.id === id);
    if (at >= 0) {
      this.alerts.splice(at, 1);
      return true;
    }
    for (const [sensorId, e] of this.evictions) {
      if (e.id === id) return this.evictions.delete(sensorId);
    }
    return false;
  }

  clear(): void {
    this.alerts = [];
    this.evictions.clear();
  }

  private drop(alert: BufferedAlert, now: number): void {
    this.dropped += 1;
    const added = { fromSeq: alert.seq, toSeq: alert.seq, count: 1, reason: 'ram' as const, at: now };
    const cur = this.evictions.get(alert.sensorId);
    this.evictions.set(
      alert.sensorId,
      cur
        ? { ...cur, body: mergeEviction(cur.body, added) }
        : { kind: 'eviction', id: this.newId(), sensorId: alert.sensorId, createdAt: now, body: added },
    );
  }
}
