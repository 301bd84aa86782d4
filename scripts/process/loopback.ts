import { createConnection, createServer } from 'node:net';
import { waitUntil } from './wait-until.js';

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves true when a TCP connection to 127.0.0.1:port is accepted, false when it is refused/fails. */
export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export function waitForTcp(port: number, timeoutMs: number): Promise<void> {
  return waitUntil(() => canConnect(port), timeoutMs, `127.0.0.1:${port} to accept connections`);
}
