// Pure policy for a damaged outbox: which seqs were lost with the pages that could not be read. The outbox
// announces them as evictions, so a receiver can tell the hole from a silent loss.

/** A readable row of the damaged file, as far as the plan needs it. */
export interface ReadableRow {
  ord: number;
  kind: 'alert' | 'eviction';
  sensorId: number;
  seq: number | null;
}

/** Inclusive range of `ord`s whose rows could not be read. */
export interface OrdRange {
  from: number;
  to: number;
}

export interface LostSeqs {
  sensorId: number;
  fromSeq: number;
  toSeq: number;
  /** The `ord` the announcement takes: ahead of every readable alert of the sensor after the hole. */
  slot: number;
}

/**
 * Per sensor, the seqs that can have been in the unreadable ranges. Rows go into the outbox in seq order and
 * leave it oldest first, so a sensor's pending alerts are a run of seqs (eviction holes aside, which are
 * announced anyway). Between two readable alerts with unreadable rows in between, every seq strictly between
 * them is announced; before the first readable one at most as many seqs as the unreadable ords there; after
 * the last one, up to the sensor's counter. A seq announced that had already been delivered costs nothing: a
 * receiver has it, and an eviction notice for it changes nothing.
 */
export function lostSeqs(
  rows: readonly ReadableRow[],
  unreadable: readonly OrdRange[],
  counters: ReadonlyMap<number, number>,
): LostSeqs[] {
  if (unreadable.length === 0) return [];
  const sensors = new Set<number>(counters.keys());
  for (const r of rows) sensors.add(r.sensorId);
  const out: LostSeqs[] = [];
  for (const sensorId of [...sensors].sort((a, b) => a - b)) {
    const alerts = rows
      .filter((r) => r.kind === 'alert' && r.sensorId === sensorId && r.seq !== null)
      .sort((a, b) => a.ord - b.ord);
    const top = Math.max(counters.get(sensorId) ?? 0, ...alerts.map((a) => a.seq!));
    let prev: ReadableRow | undefined;
    let at = 0; // next unreadable range not yet passed
    for (const a of [...alerts, undefined]) {
      const before: OrdRange[] = [];
      while (at < unreadable.length && (a === undefined || unreadable[at]!.from < a.ord))
        before.push(unreadable[at++]!);
      if (before.length > 0) {
        const width = before.reduce((n, r) => n + (r.to - r.from + 1), 0);
        const fromSeq = prev ? prev.seq! + 1 : Math.max(1, (a ? a.seq! : top + 1) - width);
        const toSeq = a ? a.seq! - 1 : top;
        if (fromSeq <= toSeq) out.push({ sensorId, fromSeq, toSeq, slot: before[0]!.from });
      }
      prev = a;
    }
  }
  return out;
}
