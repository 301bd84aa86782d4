import type { Readable } from 'node:stream';
import {
  asyncScheduler,
  BehaviorSubject,
  Observable,
  type SchedulerLike,
  type Subscription,
  share,
} from 'rxjs';
import { type Log, silentLog } from '../../shared/log.js';
import {
  emptySourceCounters,
  type LoggedSourceState,
  type SensorSource,
  SOURCE_STATE_EVENTS,
  type SourceStatus,
} from './sensor-source.js';

export interface Pace {
  /** Emit at this average byte rate (see replayByteRate to derive it from a sample rate). */
  bytesPerSecond: number;
}

export interface ReadableSourceOptions {
  /** For logs and errors: the file path or `stdin`. */
  name: string;
  /** Called on each subscription; the stream is destroyed on unsubscribe unless `keepOpen`. */
  open: () => Readable;
  /** Without it, chunks are emitted as fast as they are read. */
  pace?: Pace;
  /** Leave the stream alone on unsubscribe (process.stdin belongs to the process). */
  keepOpen?: boolean;
  /** Turns a read error into the error the observable ends with. */
  describeError?: (error: Error) => Error;
  logger?: Log;
  scheduler?: SchedulerLike;
}

/**
 * A SensorSource over a Node Readable (a recorded file, stdin). Completes at end of input. With `pace`, each
 * chunk is held back until the time its last byte would have arrived at that byte rate, and the stream is
 * paused meanwhile, so a large file is never read ahead of the pace.
 */
export function createReadableSource(options: ReadableSourceOptions): SensorSource {
  const { name, pace } = options;
  const logger = options.logger ?? silentLog;
  const scheduler = options.scheduler ?? asyncScheduler;
  const counters = emptySourceCounters();
  const status = new BehaviorSubject<SourceStatus>({ state: 'idle', atMs: scheduler.now() });
  const setState = (state: LoggedSourceState) => {
    if (status.value.state === state) return;
    status.next({ state, atMs: scheduler.now() });
    logger.info(
      { event: SOURCE_STATE_EVENTS[state], source: name, state, bytes: counters.bytes },
      `sensor source ${state}`,
    );
  };

  const chunks$ = new Observable<Uint8Array>((subscriber) => {
    const stream = options.open();
    let timer: Subscription | undefined;
    let ended = false;
    let pending = 0;
    const startedAt = scheduler.now();
    let paced = 0;

    const emit = (chunk: Uint8Array) => {
      counters.bytes += chunk.length;
      counters.chunks++;
      subscriber.next(chunk);
    };
    const finish = () => {
      if (pending > 0 || !ended) return;
      setState('ended');
      subscriber.complete();
    };

    const onData = (data: Buffer | string) => {
      const chunk = typeof data === 'string' ? new TextEncoder().encode(data) : data;
      if (!pace) return emit(chunk);
      paced += chunk.length;
      const due = startedAt + (paced / pace.bytesPerSecond) * 1000;
      stream.pause();
      pending++;
      timer = scheduler.schedule(
        () => {
          pending--;
          emit(chunk);
          stream.resume();
          finish();
        },
        Math.max(0, due - scheduler.now()),
      );
    };
    const onEnd = () => {
      ended = true;
      finish();
    };
    const onError = (error: Error) => {
      setState('closed');
      subscriber.error(options.describeError ? options.describeError(error) : error);
    };
    stream.on('data', onData).once('end', onEnd).once('error', onError);
    setState('open');

    return () => {
      timer?.unsubscribe();
      stream.off('data', onData).off('end', onEnd).off('error', onError);
      if (options.keepOpen) stream.pause();
      else stream.on('error', () => {}).destroy();
      if (status.value.state !== 'ended') setState('closed');
    };
  }).pipe(share());

  return { name, chunks$, state$: status.asObservable(), counters };
}
