import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { SerialPort } from 'serialport';
import { ThrumError } from '../../shared/errors.js';

/** Where the encoded stream goes: stdout, a file or a serial port. */
export interface ByteSink {
  /** Resolves once the bytes are accepted (waits for 'drain' under backpressure, unless the sink is lossy). */
  write(bytes: Uint8Array): Promise<void>;
  /** Flushes and closes (a serial port gives up after a few seconds when nobody reads); stdout stays open. */
  close(): Promise<void>;
  /** Set when the reader went away (EPIPE on stdout, port closed): stop producing, it is not an error. */
  readonly closedByReader: boolean;
  /** Bytes a lossy sink dropped because nobody was reading. */
  readonly droppedBytes: number;
  readonly description: string;
}

export type SinkTarget =
  | { kind: 'stdout' }
  | { kind: 'file'; path: string }
  | { kind: 'serial'; path: string; baud: number };

export interface SinkOptions {
  /**
   * Drop data instead of waiting when this many bytes are queued: a real UART transmits whether or not anyone
   * listens, but a pty with no reader blocks, and a real-rate stream must not stall (or grow) because of it.
   */
  dropWhenQueued?: number;
}

const CLOSE_TIMEOUT_MS = 2000;

export async function openSink(target: SinkTarget, options: SinkOptions = {}): Promise<ByteSink> {
  switch (target.kind) {
    case 'stdout':
      return streamSink(process.stdout, 'stdout', async () => {}, options);
    case 'file': {
      const stream = createWriteStream(target.path);
      await new Promise<void>((resolve, reject) => {
        stream.once('open', () => resolve());
        stream.once('error', (err) =>
          reject(
            new ThrumError('BAD_USAGE', `--out ${target.path}: cannot write: ${err.message}`, { cause: err }),
          ),
        );
      });
      return streamSink(stream, target.path, () => new Promise((resolve) => stream.end(resolve)), options);
    }
    case 'serial': {
      const port = new SerialPort({ path: target.path, baudRate: target.baud, autoOpen: false });
      await new Promise<void>((resolve, reject) =>
        port.open((err) =>
          err
            ? reject(
                new ThrumError(
                  'BAD_USAGE',
                  `--port ${target.path}: cannot open: ${err.message}; check the path, permissions (dialout group) and that no other program holds it`,
                  { cause: err },
                ),
              )
            : resolve(),
        ),
      );
      // drain() waits until the OS has sent the bytes; close() alone could cut off the tail. A pty with no
      // reader never drains: then close() cancels the pending write.
      const finish = async () => {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => port.drain(() => resolve())),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
          }),
        ]);
        clearTimeout(timer);
        if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
      };
      return streamSink(port, `${target.path} @ ${target.baud} baud`, finish, options);
    }
  }
}

function streamSink(
  stream: Writable,
  description: string,
  finish: () => Promise<void>,
  options: SinkOptions,
): ByteSink {
  let failure: Error | undefined;
  let readerGone = false;
  let closing = false;
  let dropped = 0;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    // The reader of a pipe went away (`thrum sim | head`): a normal way to stop.
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED' || closing) readerGone = true;
    else failure = err;
  });
  stream.on('close', () => {
    readerGone = true;
  });
  return {
    description,
    get closedByReader() {
      return readerGone && !closing;
    },
    get droppedBytes() {
      return dropped;
    },
    async write(bytes) {
      if (failure) throw new ThrumError('BAD_USAGE', `${description}: write failed: ${failure.message}`);
      if (readerGone || stream.destroyed) {
        readerGone = true;
        return;
      }
      if (options.dropWhenQueued !== undefined && stream.writableLength >= options.dropWhenQueued) {
        dropped += bytes.length;
        return;
      }
      if (!stream.write(bytes) && options.dropWhenQueued === undefined) {
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
      if (stream.destroyed) return;
      await finish();
    },
  };
}
