import { CsvDecoder, type CsvDecoderOptions } from './csv-decoder.js';
import { FramesDecoder, type FramesDecoderOptions } from './frames-decoder.js';
import type { WireDecoder, WireFormat } from './types.js';

export { cobsDecode, cobsEncode, cobsMaxEncodedLength } from './cobs.js';
export { crc32 } from './crc32.js';
export { CsvDecoder, type CsvDecoderOptions } from './csv-decoder.js';
export { type CsvEncodeOptions, encodeCsv } from './csv-encoder.js';
export { MAX_FRAME_BYTES } from './frame-layout.js';
export { FramesDecoder, type FramesDecoderOptions } from './frames-decoder.js';
export { encodeFrame, type FrameInput } from './frames-encoder.js';
export { MAX_CHANNELS } from './limits.js';
export type * from './types.js';

export type DecoderOptions = CsvDecoderOptions & FramesDecoderOptions;

/** The decoder for a wire format; options that do not apply to it are ignored. */
export function createDecoder(format: WireFormat, options: DecoderOptions = {}): WireDecoder {
  return format === 'csv' ? new CsvDecoder(options) : new FramesDecoder(options);
}
