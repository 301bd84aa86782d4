import { createReadStream } from 'node:fs';
import type { SchedulerLike } from 'rxjs';
import { ThrumError } from '../../shared/errors.js';
import type { Log } from '../../shared/log.js';
import { createReadableSource, type Pace } from './readable-source.js';
import type { SensorSource } from './sensor-source.js';

export interface FileSourceOptions {
  /** Replay at this byte rate (see replayByteRate); as fast as the disk reads when absent. */
  pace?: Pace;
  /** Read size; defaults to about 20 ms of data when paced, 64 KiB otherwise. */
  chunkBytes?: number;
  logger?: Log;
  scheduler?: SchedulerLike;
}

/** Replays a recorded byte stream (what `thrum record` or `thrum sim` wrote) as a SensorSource. */
export function createFileSource(path: string, options: FileSourceOptions = {}): SensorSource {
  const { pace } = options;
  const chunkBytes =
    options.chunkBytes ??
    (pace ? Math.min(65_536, Math.max(16, Math.round(pace.bytesPerSecond / 50))) : 65_536);
  return createReadableSource({
    name: path,
    open: () => createReadStream(path, { highWaterMark: chunkBytes }),
    pace,
    describeError: (error) => fileError(path, error),
    logger: options.logger,
    scheduler: options.scheduler,
  });
}

function fileError(path: string, error: Error): ThrumError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'no such file; check the path'
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a directory; give a recorded data file'
          : error.message;
  return new ThrumError('BAD_DATA', `cannot read sensor data file ${path}: ${why}`, { cause: error });
}
