import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';

export interface EmbeddedBroker {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The default broker of `npm run demo` and `thrum run --replay`: aedes in this process on a free loopback
 * port. It speaks MQTT 3.1.1 only, so it also proves that the daemon falls back from MQTT 5.
 */
export async function startEmbeddedBroker(): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker();
  const server: Server = createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('embedded broker has no TCP address');
  const port = address.port;
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        broker.close(() => server.close(() => resolve()));
        // Open client sockets would keep server.close() waiting for their keepalive to lapse.
        server.unref();
        setTimeout(resolve, 500).unref();
      }),
  };
}
