// Receiver-side loss check: alert seqs of a sensor should arrive without holes, except where an `evicted`
// record says the device dropped them. Duplicates (at-least-once) and an eviction record arriving before or
// after the gap it explains are both fine. Pure: feed it what arrives, ask for the holes.

export interface SeqRange {
  fromSeq: number;
  toSeq: number;
}

export interface SeqGap extends SeqRange {
  deviceId: string;
  sensorId: string;
}

/** Per-sensor state: every seq up to `through` is accounted for; `seen` and `evicted` hold what lies above. */
interface Stream {
  through: number;
  seen: Set<number>;
  evicted: SeqRange[];
}

export class SeqGapTracker {
  private readonly streams = new Map<string, Stream & { deviceId: string; sensorId: string }>();

  /** Records an alert; returns false when this seq was already accounted for (a duplicate). */
  alert(deviceId: string, sensorId: string, seq: number): boolean {
    const s = this.stream(deviceId, sensorId, seq);
    if (seq <= s.through || s.seen.has(seq)) return false;
    s.seen.add(seq);
    advance(s);
    return true;
  }

  /** Records an eviction notice: the seqs in the range will not come. */
  evicted(deviceId: string, sensorId: string, range: SeqRange): void {
    const s = this.stream(deviceId, sensorId, range.fromSeq);
    if (range.toSeq <= s.through) return;
    s.evicted.push({ fromSeq: range.fromSeq, toSeq: range.toSeq });
    advance(s);
  }

  /** Seqs missing below the highest one seen and not explained by an eviction, per sensor. */
  gaps(): SeqGap[] {
    const out: SeqGap[] = [];
    for (const s of this.streams.values()) {
      // Everything accounted for above `through`, as sorted ranges; the holes between them are the gaps.
      const covered = [...[...s.seen].map((seq) => ({ fromSeq: seq, toSeq: seq })), ...s.evicted].sort(
        (a, b) => a.fromSeq - b.fromSeq,
      );
      let next = s.through + 1;
      for (const r of covered) {
        if (r.fromSeq > next)
          out.push({ deviceId: s.deviceId, sensorId: s.sensorId, fromSeq: next, toSeq: r.fromSeq - 1 });
        next = Math.max(next, r.toSeq + 1);
      }
    }
    return out;
  }

  /** The first message of a sensor starts its count: a consumer that joins late has not lost the past. */
  private stream(deviceId: string, sensorId: string, firstSeq: number) {
    const key = JSON.stringify([deviceId, sensorId]);
    let s = this.streams.get(key);
    if (!s) {
      s = { deviceId, sensorId, through: firstSeq - 1, seen: new Set(), evicted: [] };
      this.streams.set(key, s);
    }
    return s;
  }
}

/** Moves `through` up over everything accounted for, and forgets state below it. */
function advance(s: Stream): void {
  for (;;) {
    const next = s.through + 1;
    if (s.seen.delete(next)) {
      s.through = next;
      continue;
    }
    const range = s.evicted.find((r) => next >= r.fromSeq && next <= r.toSeq);
    if (!range) break;
    for (const seq of s.seen) if (seq <= range.toSeq) s.seen.delete(seq);
    s.through = range.toSeq;
  }
  s.evicted = s.evicted.filter((r) => r.toSeq > s.through);
}
