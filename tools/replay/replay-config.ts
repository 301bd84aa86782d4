import { closeSync, openSync, readSync } from 'node:fs';
import type { WireFormat } from '../../shared/protocol/index.js';

/** The device id a replay publishes under when `--device` is not given. */
export const REPLAY_DEVICE = 'replay';

/**
 * The wire format of a recording, from its first bytes: `frames` are COBS packets delimited by 0x00, which text
 * never holds; anything else is csv (what `thrum sim --out` and `thrum record` write).
 */
export function sniffFormat(path: string): WireFormat {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4096);
    const n = readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, n).includes(0) ? 'frames' : 'csv';
  } finally {
    closeSync(fd);
  }
}

export interface ReplaySettings {
  file: string;
  bundle: string;
  format: WireFormat;
  channels: number;
  sampleRate: number;
  realtime: boolean;
  deviceId: string;
  brokerUrl: string;
  /** The embedded aedes broker speaks MQTT 3.1.1 only: say so rather than try 5 first. */
  protocolVersion: 4 | 'auto';
  outbox: string;
  logLevel: string;
  statusIntervalMs: number;
}

/** The thrum.yaml a replay runs on, as a document for the daemon's own validation (docs/config.md). */
export function replayConfigDoc(s: ReplaySettings): Record<string, Record<string, unknown>> {
  return {
    device: { id: s.deviceId },
    serial: {
      source: 'file',
      path: s.file,
      format: s.format,
      channels: s.channels,
      sampleRate: s.sampleRate,
      realtime: s.realtime,
    },
    // int8, as on the device and in `thrum eval` (which defaults to it too): the same scores, the same alerts.
    model: { bundle: s.bundle, variant: 'int8' },
    mqtt: {
      url: s.brokerUrl,
      protocolVersion: s.protocolVersion,
      reconnectPeriodMs: 200,
      reconnectMaxMs: 2000,
    },
    outbox: { path: s.outbox },
    log: { level: s.logLevel, format: 'auto' },
    status: { intervalMs: s.statusIntervalMs },
  };
}
