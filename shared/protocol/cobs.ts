/**
 * Consistent Overhead Byte Stuffing: rewrites a packet so it holds no 0x00, so 0x00 can delimit packets.
 * Each group starts with a code byte: `code - 1` data bytes follow, then an implied 0x00 unless the code is
 * 0xFF (a full run of 254 non-zero bytes) or the group is the last one.
 */

/** Most bytes `cobsEncode` can produce for a packet of `length` bytes. */
export function cobsMaxEncodedLength(length: number): number {
  return length + Math.ceil(length / 254) + 1;
}

/** Encodes `src` into `dst` at `offset` (no delimiter); returns the offset after the last byte written. */
export function cobsEncode(src: Uint8Array, dst: Uint8Array, offset = 0): number {
  let codeAt = offset;
  let out = offset + 1;
  let code = 1;
  for (let i = 0; i < src.length; i++) {
    if (src[i] === 0) {
      dst[codeAt] = code;
      codeAt = out++;
      code = 1;
      continue;
    }
    dst[out++] = src[i];
    if (++code === 0xff && i + 1 < src.length) {
      dst[codeAt] = code;
      codeAt = out++;
      code = 1;
    }
  }
  dst[codeAt] = code;
  return out;
}

/**
 * Decodes `src[start, end)` (one packet, no delimiter) into `dst`. Returns the decoded length, or -1 when
 * the bytes are not valid COBS (a 0x00, or a group running past the end) or do not fit in `dst`.
 */
export function cobsDecode(src: Uint8Array, start: number, end: number, dst: Uint8Array): number {
  let out = 0;
  let i = start;
  while (i < end) {
    const code = src[i++];
    const groupEnd = i + code - 1;
    if (code === 0 || groupEnd > end || out + code > dst.length + 1) return -1;
    while (i < groupEnd) {
      const b = src[i++];
      if (b === 0) return -1;
      dst[out++] = b;
    }
    if (code !== 0xff && i < end) {
      if (out === dst.length) return -1;
      dst[out++] = 0;
    }
  }
  return out;
}
