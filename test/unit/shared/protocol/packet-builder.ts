import { cobsEncode, cobsMaxEncodedLength } from '../../../../shared/protocol/cobs.js';
import { crc32 } from '../../../../shared/protocol/crc32.js';

export interface RawPacket {
  version?: number;
  sensorId?: number;
  seq?: number;
  channels?: number;
  /** Samples per channel written in the header; defaults to values.length / channels. */
  sampleCount?: number;
  /** 0 = int16 (then `scale` follows the header), 1 = float32, anything else to test rejection. */
  format?: number;
  scale?: number;
  /** int16 counts or float32 values, interleaved. */
  values?: number[];
  /** Replaces the computed CRC. */
  crc?: number;
}

/**
 * Builds a packet byte by byte from docs/protocol.md, independently of encodeFrame, so tests can state the
 * layout and make packets the encoder refuses to make.
 */
export function rawPacket(p: RawPacket): Uint8Array {
  const { version = 1, sensorId = 0, seq = 0, channels = 1, format = 1, scale = 1, values = [] } = p;
  const int16 = format === 0;
  const header = int16 ? 14 : 10;
  const width = int16 ? 2 : 4;
  const bytes = new Uint8Array(header + values.length * width + 4);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, version);
  view.setUint8(1, sensorId);
  view.setUint32(2, seq, true);
  view.setUint8(6, channels);
  view.setUint16(7, p.sampleCount ?? values.length / channels, true);
  view.setUint8(9, format);
  if (int16) view.setFloat32(10, scale, true);
  for (const [i, v] of values.entries()) {
    if (int16) view.setInt16(header + 2 * i, v, true);
    else view.setFloat32(header + 4 * i, v, true);
  }
  view.setUint32(bytes.length - 4, p.crc ?? crc32(bytes, 0, bytes.length - 4), true);
  return bytes;
}

/** COBS-encodes a packet and appends the 0x00 delimiter. */
export function onWire(packet: Uint8Array): Uint8Array {
  const out = new Uint8Array(cobsMaxEncodedLength(packet.length) + 1);
  const end = cobsEncode(packet, out);
  return out.slice(0, end + 1);
}
