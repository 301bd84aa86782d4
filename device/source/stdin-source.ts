import type { Readable } from 'node:stream';
import type { SchedulerLike } from 'rxjs';
import type { Log } from '../../shared/log.js';
import { createReadableSource, type Pace } from './readable-source.js';
import type { SensorSource } from './sensor-source.js';

export interface StdinSourceOptions {
  pace?: Pace;
  logger?: Log;
  scheduler?: SchedulerLike;
  /** The stream to read; process.stdin unless a test gives another. */
  stdin?: Readable;
}

/** Sensor bytes piped in, e.g. `thrum sim --fast | thrum run --source stdin`. Completes at end of input. */
export function createStdinSource(options: StdinSourceOptions = {}): SensorSource {
  return createReadableSource({
    name: 'stdin',
    open: () => options.stdin ?? process.stdin,
    keepOpen: true,
    pace: options.pace,
    logger: options.logger,
    scheduler: options.scheduler,
  });
}
