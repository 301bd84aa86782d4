/**
 * A bounded set of recently seen ids, least-recently-seen evicted first. Delivery is at-least-once, so the
 * same alertId can arrive twice (a replay after reconnect); remembering the last `capacity` ids in O(1) per
 * call with a Map's insertion order keeps memory flat however long `thrum watch` runs.
 */
export class SeenIds {
  private readonly ids = new Map<string, true>();

  constructor(readonly capacity = 100_000) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be >= 1, got ${capacity}`);
  }

  /** True when `id` was seen before (and refreshes it); otherwise remembers it and returns false. */
  check(id: string): boolean {
    if (this.ids.has(id)) {
      this.ids.delete(id);
      this.ids.set(id, true);
      return true;
    }
    this.ids.set(id, true);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.keys().next().value as string;
      this.ids.delete(oldest);
    }
    return false;
  }

  get size(): number {
    return this.ids.size;
  }
}
