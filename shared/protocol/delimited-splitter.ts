/** Receives one complete record: `bytes[start, end)`, delimiter excluded. Valid only during the call. */
export type RecordHandler = (bytes: Uint8Array, start: number, end: number) => void;
/** Receives an over-long record that was dropped; `bytes` is how much input it covered. */
export type OverflowHandler = (bytes: number) => void;

/**
 * Cuts a byte stream into records at a delimiter byte, across any chunk boundaries, holding at most
 * `maxRecordBytes` between pushes. A record longer than that is not buffered: its bytes are dropped as they
 * arrive until the next delimiter, and it is reported once. Shared by the `csv` (`\n`) and `frames` (`0x00`)
 * decoders, so both resynchronize the same way.
 */
export class DelimitedSplitter {
  private readonly carry: Uint8Array;
  private carried = 0;
  /** Bytes of the current over-long record dropped so far; -1 when not dropping. */
  private dropped = -1;

  constructor(
    private readonly delimiter: number,
    private readonly maxRecordBytes: number,
  ) {
    this.carry = new Uint8Array(maxRecordBytes);
  }

  get bufferedBytes(): number {
    return this.carried;
  }

  push(chunk: Uint8Array, onRecord: RecordHandler, onOverflow: OverflowHandler): void {
    let start = 0;
    for (let end = chunk.indexOf(this.delimiter); end !== -1; end = chunk.indexOf(this.delimiter, start)) {
      this.finishRecord(chunk, start, end, onRecord, onOverflow, 1);
      start = end + 1;
    }
    const rest = chunk.length - start;
    if (this.dropped >= 0) {
      this.dropped += rest;
    } else if (this.carried + rest > this.maxRecordBytes) {
      this.dropped = this.carried + rest;
      this.carried = 0;
    } else {
      this.carry.set(chunk.subarray(start), this.carried);
      this.carried += rest;
    }
  }

  /** End of input: whatever is held is the last record, without its delimiter. */
  flush(onRecord: RecordHandler, onOverflow: OverflowHandler): void {
    if (this.dropped >= 0 || this.carried > 0) this.finishRecord(this.carry, 0, 0, onRecord, onOverflow, 0);
  }

  private finishRecord(
    chunk: Uint8Array,
    start: number,
    end: number,
    onRecord: RecordHandler,
    onOverflow: OverflowHandler,
    delimiterBytes: number,
  ): void {
    const length = this.carried + end - start;
    if (this.dropped >= 0) {
      const covered = this.dropped + end - start + delimiterBytes;
      this.dropped = -1;
      onOverflow(covered);
    } else if (length > this.maxRecordBytes) {
      this.carried = 0;
      onOverflow(length + delimiterBytes);
    } else if (this.carried === 0) {
      onRecord(chunk, start, end);
    } else {
      this.carry.set(chunk.subarray(start, end), this.carried);
      this.carried = 0;
      onRecord(this.carry, 0, length);
    }
  }
}
