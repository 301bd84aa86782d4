import { accessSync, constants, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { SerialPort } from 'serialport';
import type { PortConnection, PortDriver, PortHandlers } from '../source/port-driver.js';
import { createReconnectingSource, type ReconnectingSourceOptions } from '../source/reconnecting-source.js';
import type { SensorSource } from '../source/sensor-source.js';

export interface SerialPortOptions {
  /** Device path, e.g. /dev/ttyUSB0 or /dev/serial/by-id/... */
  path: string;
  baudRate: number;
}

/** Opens a serial port with node-serialport; every way the port can go away ends in one onLost call. */
export function serialPortDriver({ path, baudRate }: SerialPortOptions): PortDriver {
  return {
    path,
    open: (handlers) => openPort(path, baudRate, handlers),
  };
}

/** A serial SensorSource that reconnects with backoff and reopens a port that goes quiet. */
export function createSerialSource(
  port: SerialPortOptions,
  options: ReconnectingSourceOptions = {},
): SensorSource {
  return createReconnectingSource(serialPortDriver(port), options);
}

function openPort(path: string, baudRate: number, handlers: PortHandlers): Promise<PortConnection> {
  const port = new SerialPort({ path, baudRate, autoOpen: false });
  let closing = false;
  let lost = false;
  const loseOnce = (error: Error) => {
    if (closing || lost) return;
    lost = true;
    port.removeAllListeners('data');
    if (port.isOpen) port.close(() => {});
    handlers.onLost(error);
  };
  // The serialport stream errors once more when a disconnected port's pending read is cancelled.
  port.on('error', (error: Error) => loseOnce(error));

  return new Promise((resolve, reject) => {
    port.open((error) => {
      if (error) {
        port.removeAllListeners();
        port.on('error', () => {});
        reject(error);
        return;
      }
      port.on('data', (chunk: Buffer) => handlers.onData(chunk));
      port.on('close', (err: Error | null) => loseOnce(err ?? new Error(`${path} closed`)));
      port.on('end', () => loseOnce(new Error(`${path} reached end of input`)));
      resolve({
        close: () =>
          new Promise<void>((done) => {
            closing = true;
            port.removeAllListeners('data');
            if (!port.isOpen) return done();
            port.close(() => done());
          }),
      });
    });
  });
}

export interface SerialPortInfo {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
}

/**
 * Lists serial ports for messages like "port not found; available: ...". SerialPort.list() spawns `udevadm` on
 * Linux, which is missing in containers and minimal images; then the /dev entries are listed instead, and any
 * failure yields an empty list rather than an error.
 */
export async function listSerialPorts(): Promise<SerialPortInfo[]> {
  if (process.platform === 'linux' && !onPath('udevadm')) return devSerialPaths();
  try {
    const ports = await SerialPort.list();
    return ports.map(({ path, manufacturer, serialNumber, vendorId, productId }) => ({
      path,
      manufacturer,
      serialNumber,
      vendorId,
      productId,
    }));
  } catch {
    return devSerialPaths();
  }
}

function onPath(name: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function devSerialPaths(): SerialPortInfo[] {
  const list = (dir: string, pattern: RegExp) => {
    try {
      return readdirSync(dir)
        .filter((n) => pattern.test(n))
        .map((n) => ({ path: join(dir, n) }));
    } catch {
      return [];
    }
  };
  const byId = list('/dev/serial/by-id', /./);
  return byId.length > 0 ? byId : list('/dev', /^(tty(USB|ACM|AMA)\d+|serial\d)$/);
}
