import { z } from 'zod';

/** Every time in thrum's MQTT payloads: ISO 8601 UTC with milliseconds, e.g. `2025-11-25T14:03:07.125Z`. */
export const isoTimeSchema = z.iso.datetime();

/** Epoch ms to the payload time format. */
export function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
