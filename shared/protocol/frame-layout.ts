/**
 * The `frames` packet before COBS, little-endian (docs/protocol.md has the byte-by-byte picture):
 *   version u8 | sensorId u8 | seq u32 | channelCount u8 | sampleCount u16 | format u8 | [scale f32] |
 *   samples (int16 or float32, interleaved by channel) | CRC-32 u32 over every byte before it
 */
export const FRAME_VERSION = 1;
export const FORMAT_INT16 = 0;
export const FORMAT_FLOAT32 = 1;

export const OFFSET_VERSION = 0;
export const OFFSET_SENSOR_ID = 1;
export const OFFSET_SEQ = 2;
export const OFFSET_CHANNELS = 6;
export const OFFSET_SAMPLE_COUNT = 7;
export const OFFSET_FORMAT = 9;
export const OFFSET_SCALE = 10;
/** Header bytes before the samples: float32 frames have no scale. */
export const HEADER_BYTES = { [FORMAT_INT16]: 14, [FORMAT_FLOAT32]: 10 } as const;
export const BYTES_PER_VALUE = { [FORMAT_INT16]: 2, [FORMAT_FLOAT32]: 4 } as const;
export const CRC_BYTES = 4;
/** The smallest well-formed packet: a float32 header and a CRC, no samples. */
export const MIN_PACKET_BYTES = HEADER_BYTES[FORMAT_FLOAT32] + CRC_BYTES;

/** Default bound on one COBS-encoded frame (delimiter excluded); the encoder refuses larger frames. */
export const MAX_FRAME_BYTES = 65536;

/** Bytes of the packet (before COBS) for a frame of this shape. */
export function packetLength(format: typeof FORMAT_INT16 | typeof FORMAT_FLOAT32, values: number): number {
  return HEADER_BYTES[format] + values * BYTES_PER_VALUE[format] + CRC_BYTES;
}
