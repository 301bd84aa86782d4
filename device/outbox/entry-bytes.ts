/** Per-entry bookkeeping (ids, seq, timestamps, index) added to the payload size. */
export const ENTRY_OVERHEAD_BYTES = 96;

/** The size an entry counts against `outbox.maxBytes`: its JSON body plus a fixed overhead. */
export function entryBytes(bodyJson: string): number {
  return Buffer.byteLength(bodyJson, 'utf8') + ENTRY_OVERHEAD_BYTES;
}
