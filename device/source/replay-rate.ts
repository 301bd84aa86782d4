import { createReadStream } from 'node:fs';
import { ThrumError } from '../../shared/errors.js';
import type { DecodeEvent, WireDecoder } from '../../shared/protocol/types.js';

/**
 * The byte rate at which replaying a recorded file takes as long as recording it did: file bytes divided by
 * (samples per sensor / sampleRate). Reads the file once, in bounded memory, through `decoder`: a fresh one,
 * e.g. createDecoder(format, opts).
 */
export async function replayByteRate(
  path: string,
  decoder: WireDecoder,
  sampleRate: number,
): Promise<number> {
  const perSensor = new Map<number, number>();
  let bytes = 0;
  const count = (events: DecodeEvent[]) => {
    for (const event of events) {
      if (event.type !== 'samples') continue;
      const { sensorId, samples, channels } = event.batch;
      perSensor.set(sensorId, (perSensor.get(sensorId) ?? 0) + samples.length / channels);
    }
  };
  try {
    for await (const chunk of createReadStream(path)) {
      bytes += (chunk as Buffer).length;
      count(decoder.push(chunk as Buffer));
    }
  } catch (error) {
    throw new ThrumError('BAD_DATA', `cannot read sensor data file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  count(decoder.flush());
  const samples = Math.max(0, ...perSensor.values());
  if (samples === 0) {
    throw new ThrumError('BAD_DATA', `${path}: no samples decoded, so it cannot be paced; check the format`);
  }
  return bytes / (samples / sampleRate);
}
