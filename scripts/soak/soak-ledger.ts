// Receiver-side counting for the soak, per sensor: alerts deduplicated by alertId, duplicates, seqs never
// received, announced evictions, first arrivals out of order. The daemon's own commits (its `alert.committed`
// log events, written after the outbox commit) are recorded alongside. Messages are read through
// the MQTT contract (shared/mqtt/contract.ts); one that breaks it is counted as malformed, and fails the soak.
import { parseMessage } from '../../shared/mqtt/contract.js';

export interface SensorCount {
  committedLogged: Set<number>;
  received: Map<number, string>;
  duplicates: number;
  evicted: Set<number>;
  evictionRecords: number;
  outOfOrder: number;
  seqReused: number;
  lastFirstSeq: number;
}

export class SoakLedger {
  readonly sensors = new Map<string, SensorCount>();
  /** Messages on thrum topics whose payload broke the contract. */
  malformed = 0;
  private readonly ids = new Set<string>();

  private sensor(id: string): SensorCount {
    let s = this.sensors.get(id);
    if (!s) {
      s = {
        committedLogged: new Set(),
        received: new Map(),
        duplicates: 0,
        evicted: new Set(),
        evictionRecords: 0,
        outOfOrder: 0,
        seqReused: 0,
        lastFirstSeq: 0,
      };
      this.sensors.set(id, s);
    }
    return s;
  }

  committed(sensorId: string, seq: number): void {
    this.sensor(sensorId).committedLogged.add(seq);
  }

  onMessage(topic: string, payload: Buffer): void {
    let message: ReturnType<typeof parseMessage>;
    try {
      message = parseMessage(topic, payload);
    } catch {
      this.malformed += 1;
      return;
    }
    if (message?.kind === 'evicted') {
      const s = this.sensor(message.sensorId);
      s.evictionRecords += 1;
      for (let q = message.payload.fromSeq; q <= message.payload.toSeq; q++) s.evicted.add(q);
      return;
    }
    if (message?.kind !== 'alert') return;
    const s = this.sensor(message.sensorId);
    const { alertId: id, seq } = message.payload;
    if (this.ids.has(id)) {
      s.duplicates += 1;
      return;
    }
    this.ids.add(id);
    if (s.received.has(seq)) s.seqReused += 1;
    s.received.set(seq, id);
    if (seq <= s.lastFirstSeq) s.outOfOrder += 1;
    s.lastFirstSeq = Math.max(s.lastFirstSeq, seq);
  }

  /** Highest seq known per sensor (logged or received): seqs are contiguous, so 1..it must be accounted for. */
  highest(s: SensorCount): number {
    return Math.max(0, ...s.committedLogged, ...s.received.keys());
  }

  /** Seqs in 1..highest neither received nor announced as evicted. */
  gaps(s: SensorCount): number[] {
    const out: number[] = [];
    for (let q = 1; q <= this.highest(s); q++) if (!s.received.has(q) && !s.evicted.has(q)) out.push(q);
    return out;
  }

  settled(): boolean {
    for (const s of this.sensors.values()) if (this.gaps(s).length > 0) return false;
    return true;
  }
}
