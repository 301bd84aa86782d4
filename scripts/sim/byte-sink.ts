import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { SerialPort } from 'serialport';
import { ThrumError } from '../../shared/errors.js';

/** Where the encoded stream goes: stdout, a file or a serial port. */
export interface ByteSink {
  /** Resolves once the bytes are accepted (waits for 'drain' under backpressure). */
  write(bytes: Uint8Array): Promise<void>;
  /** Flushes and closes; stdout is left open. */
  close(): Promise<void>;
  /** Set when the reader went away (EPIPE on stdout, port closed): stop producing, it is not an error. */
  readonly closedByReader: boolean;
  readonly description: string;
}

export type SinkTarget = { kind: 'stdout' } | { kind: 'file'; path: string } | { kind: 'serial'; path: string; baud: number };

export async function openSink(target: SinkTarget): Promise<ByteSink> {
  switch (target.kind) {
    case 'stdout':
      return streamSink(process.stdout, 'stdout', async () => {});
    case 'file': {
      const stream = createWriteStream(target.path);
      await new Promise<void>((resolve, reject) => {
        stream.once('open', () => resolve());
        stream.once('error', (err) =>
          reject(new ThrumError('BAD_USAGE', `--out ${target.path}: cannot write: ${err.message}`, { cause: err })),
        );
      });
      return streamSink(stream, target.path, () => new Promise((resolve) => stream.end(resolve)));
    }
    case 'serial': {
      const port = new SerialPort({ path: target.path, baudRate: target.baud, autoOpen: false });
      await new Promise<void>((resolve, reject) =>
        port.open((err) =>
          err
            ? reject(
                new ThrumError(
                  'BAD_USAGE',
                  `--port ${target.path}: cannot open: ${err.message}; check the path and that no other program holds it`,
                  { cause: err },
                ),
              )
            : resolve(),
        ),
      );
      // drain() waits until the OS has sent the bytes; close() alone could cut off the tail.
      return streamSink(port, `${target.path} @ ${target.baud} baud`, async () => {
        await new Promise<void>((resolve) => port.drain(() => resolve()));
        if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
      });
    }
  }
}

function streamSink(stream: Writable, description: string, finish: () => Promise<void>): ByteSink {
  let failure: Error | undefined;
  let readerGone = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    // The reader of a pipe went away (`thrum sim | head`): a normal way to stop.
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') readerGone = true;
    else failure = err;
  });
  stream.on('close', () => {
    readerGone = true;
  });
  let closing = false;
  return {
    description,
    get closedByReader() {
      return readerGone && !closing;
    },
    async write(bytes) {
      if (failure) throw new ThrumError('BAD_USAGE', `${description}: write failed: ${failure.message}`);
      if (readerGone || stream.destroyed) {
        readerGone = true;
        return;
      }
      if (!stream.write(bytes)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            stream.off('drain', done);
            stream.off('close', done);
            stream.off('error', done);
            resolve();
          };
          stream.on('drain', done);
          stream.on('close', done);
          stream.on('error', done);
        });
      }
    },
    async close() {
      closing = true;
      if (!stream.destroyed) await finish();
    },
  };
}
