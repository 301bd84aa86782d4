import { encodeCsv, encodeFrame, type WireFormat } from '../../shared/protocol/index.js';

// Can the serial line carry the stream? A UART sends 10 bits per byte (8N1: start, 8 data, stop), so
// baudRate / 10 bytes per second, whatever the sender tries; a stream above that falls behind and loses
// samples in the sender's buffer, which the daemon only sees as gaps and odd scores. Pure: the caller decides
// whether the check applies (a pty ignores the baud rate, see pty-path.ts).

/** Bits on the wire per byte with 8N1 framing. */
export const UART_BITS_PER_BYTE = 10;
/** Within this fraction of the line's capacity (either side): a warning; beyond it: refused. */
export const LINE_MARGIN = 0.1;
/** What the estimate assumes a `frames` sender sends (the reference Arduino sender and `thrum sim` do). */
export const FRAME_ASSUMPTION = { samplesPerFrame: 32, format: 'int16' } as const;

const STANDARD_BAUD_RATES = [
  9600, 19200, 38400, 57600, 115200, 230400, 460800, 500000, 576000, 921600, 1000000, 1500000, 2000000,
  3000000, 4000000,
];

/** Bytes on the wire per sample (one value of every channel), with everything that frames it. */
export function bytesPerSample(format: WireFormat, channels: number): number {
  const rows = 64;
  const values = new Float32Array(rows * channels);
  // Full-precision float32 readings around ±0.5 g: what an encoder that keeps every bit (thrum sim) writes.
  for (let i = 0; i < values.length; i++) values[i] = 0.5 * Math.sin(0.7 * i + 0.3) + 0.01 * ((i % 7) - 3);
  if (format === 'csv') return encodeCsv(values, channels).length / rows;
  const { samplesPerFrame, format: sampleFormat } = FRAME_ASSUMPTION;
  const frame = encodeFrame({
    sensorId: 1,
    seq: 1,
    channels,
    samples: values.subarray(0, samplesPerFrame * channels),
    format: sampleFormat,
  });
  return frame.length / samplesPerFrame;
}

export interface LineStream {
  format: WireFormat;
  channels: number;
  sampleRate: number;
  baudRate: number;
}

export interface LineCheck {
  verdict: 'ok' | 'warn' | 'over';
  /** Bytes per second the stream needs, and what the line carries. */
  needed: number;
  capacity: number;
  /** One line for the operator: the numbers, and the fixes when it does not fit. */
  message: string;
}

/** Compares the stream's byte rate with what `baudRate` carries. */
export function checkLine(s: LineStream): LineCheck {
  const perSample = bytesPerSample(s.format, s.channels);
  const needed = perSample * s.sampleRate;
  const capacity = s.baudRate / UART_BITS_PER_BYTE;
  const ratio = needed / capacity;
  const verdict = ratio > 1 + LINE_MARGIN ? 'over' : ratio >= 1 - LINE_MARGIN ? 'warn' : 'ok';
  const what =
    `${s.format} at ${s.sampleRate} Hz x ${s.channels} channels needs about ${round(needed)} B/s ` +
    `(${perSample.toFixed(1)} B per sample${s.format === 'frames' ? `, assuming ${FRAME_ASSUMPTION.format} frames of ${FRAME_ASSUMPTION.samplesPerFrame} samples` : ''}); ` +
    `serial.baudRate ${s.baudRate} carries ${round(capacity)} B/s (8N1)`;
  if (verdict === 'ok')
    return { verdict, needed, capacity, message: `${what}: ${Math.round(ratio * 100)} % used` };
  const fixes = [`raise serial.baudRate to ${suggestBaud(needed)} or more (and the sender's)`];
  if (s.format === 'csv') {
    fixes.push(
      `use format: frames (about ${round(bytesPerSample('frames', s.channels) * s.sampleRate)} B/s)`,
    );
  }
  fixes.push('or lower the sample rate (and train a bundle for it)');
  const problem =
    verdict === 'over'
      ? `the line cannot carry the stream (${Math.round(ratio * 100)} %): samples would be lost`
      : `the stream fills ${Math.round(ratio * 100)} % of the line: no headroom`;
  return { verdict, needed, capacity, message: `${what}; ${problem}; ${fixes.join(', ')}` };
}

/** The smallest common baud rate with the margin to spare. */
function suggestBaud(needed: number): number {
  const bits = (needed * UART_BITS_PER_BYTE) / (1 - LINE_MARGIN);
  return STANDARD_BAUD_RATES.find((b) => b >= bits) ?? Math.ceil(bits / 100_000) * 100_000;
}

function round(bytesPerSecond: number): string {
  return Math.round(bytesPerSecond).toLocaleString('en-US');
}
