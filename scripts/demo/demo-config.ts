import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

export const DEMO_DEVICE = 'demo-pump';

/** The daemon's thrum.yaml for the demo: the same file a user writes for a real machine. */
export function writeDemoConfig(opts: {
  dir: string;
  bundle: string;
  brokerUrl: string;
  /** A serial device (one end of the socat pty pair), or undefined to read the simulator from stdin. */
  serialPath: string | undefined;
  sampleRate: number;
  /** The embedded aedes broker speaks MQTT 3.1.1 only: say so rather than let the daemon try 5 first. */
  protocolVersion: 4 | 'auto';
}): string {
  const config = {
    device: { id: DEMO_DEVICE },
    serial: {
      ...(opts.serialPath === undefined
        ? { source: 'stdin' }
        : { source: 'serial', path: opts.serialPath, baudRate: 921600 }),
      format: 'frames',
      channels: 3,
      sampleRate: opts.sampleRate,
    },
    model: { bundle: opts.bundle, variant: 'auto' },
    mqtt: {
      url: opts.brokerUrl,
      protocolVersion: opts.protocolVersion,
      reconnectPeriodMs: 500,
      reconnectMaxMs: 5000,
    },
    outbox: { path: join(opts.dir, 'outbox.db') },
    health: { intervalMs: 10_000 },
    score: { intervalMs: 5000 },
    log: { level: 'info' },
  };
  const path = join(opts.dir, 'thrum.yaml');
  writeFileSync(path, `# written by npm run demo\n${stringify(config)}`);
  return path;
}
