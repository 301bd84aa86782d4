import {
  asyncScheduler,
  BehaviorSubject,
  Observable,
  type SchedulerLike,
  type Subscription,
  share,
} from 'rxjs';
import { type Log, silentLog } from '../../shared/log.js';
import { type Backoff, backoffDelay } from '../backoff.js';
import type { PortConnection, PortDriver } from './port-driver.js';
import {
  emptySourceCounters,
  type LoggedSourceState,
  type SensorSource,
  SOURCE_STATE_EVENTS,
  type SourceStatus,
} from './sensor-source.js';

export interface ReconnectingSourceOptions {
  backoff?: Partial<Backoff>;
  /** Reopen the port after this long without a byte, ms; 0 disables the watchdog. */
  silenceMs?: number;
  logger?: Log;
  scheduler?: SchedulerLike;
}

// No jitter: one sensor per port, nothing to spread out.
export const DEFAULT_BACKOFF: Backoff = { initialMs: 250, maxMs: 10_000, factor: 2, jitter: 0 };
export const DEFAULT_SILENCE_MS = 5_000;

/**
 * A SensorSource over a PortDriver that never gives up: when the port is missing, fails to open or disappears
 * it retries with capped exponential backoff; when it stays open but silent for `silenceMs` it is closed and
 * reopened; a port that has not sent a byte yet is `waiting` (info) rather than `silent` (warn). Each state
 * change is logged once (retries only at debug level), so a sensor unplugged for a day leaves two log lines,
 * not thousands.
 */
export function createReconnectingSource(
  driver: PortDriver,
  options: ReconnectingSourceOptions = {},
): SensorSource {
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  const silenceMs = options.silenceMs ?? DEFAULT_SILENCE_MS;
  const logger = options.logger ?? silentLog;
  const scheduler = options.scheduler ?? asyncScheduler;
  const counters = emptySourceCounters();
  const status = new BehaviorSubject<SourceStatus>({ state: 'idle', atMs: scheduler.now() });
  const source = { path: driver.path };
  // share() keeps this at 0 or 1; a resubscription may start before the previous close finished.
  let subscribed = 0;

  const setState = (state: LoggedSourceState, reason?: string) => {
    if (status.value.state === state) {
      // Another failed retry or another silent period: debug only, so an outage stays one line at info.
      if (reason)
        logger.debug({ event: 'source.unchanged', ...source, state, reason }, 'sensor source still ' + state);
      return;
    }
    status.next({ state, reason, atMs: scheduler.now() });
    const fields = {
      event: SOURCE_STATE_EVENTS[state],
      ...source,
      state,
      ...(reason ? { reason } : {}),
      counters: { ...counters },
    };
    if (state === 'reconnecting' || state === 'silent') logger.warn(fields, `sensor source ${state}`);
    else if (state === 'opening') logger.debug(fields, 'sensor source opening');
    else logger.info(fields, `sensor source ${state}`);
  };

  const chunks$ = new Observable<Uint8Array>((subscriber) => {
    let connection: PortConnection | undefined;
    let timer: Subscription | undefined;
    let attempt = 0;
    let lastDataAt = 0;
    // Bumped whenever a connection is abandoned, so callbacks of an old connection are ignored.
    let generation = 0;
    let stopped = false;
    /** Whether any byte arrived since this subscription started. */
    let delivered = false;

    const cancelTimer = () => {
      timer?.unsubscribe();
      timer = undefined;
    };

    const drop = () => {
      generation++;
      cancelTimer();
      const c = connection;
      connection = undefined;
      return c ? c.close().catch(() => {}) : Promise.resolve();
    };

    const retryLater = (error: unknown) => {
      const reason = messageOf(error);
      setState('reconnecting', reason);
      const delay = backoffDelay(backoff, attempt++);
      logger.debug(
        { event: 'source.retry.scheduled', ...source, attempt, delayMs: delay, reason },
        'sensor source retry scheduled',
      );
      timer = scheduler.schedule(() => {
        timer = undefined;
        void open();
      }, delay);
    };

    const armWatchdog = () => {
      if (silenceMs <= 0) return;
      const due = lastDataAt + silenceMs - scheduler.now();
      timer = scheduler.schedule(
        () => {
          timer = undefined;
          if (scheduler.now() - lastDataAt < silenceMs) return armWatchdog();
          counters.watchdogReopens++;
          // A port that never sent anything is a sensor not streaming yet: wait quietly, one info line.
          if (delivered) setState('silent', `no data for ${silenceMs} ms`);
          else setState('waiting', `no data yet (reopening every ${silenceMs} ms until bytes arrive)`);
          void drop().then(() => {
            if (!stopped) void open();
          });
        },
        Math.max(0, due),
      );
    };

    const open = async () => {
      const gen = ++generation;
      try {
        const c = await driver.open({
          onData: (chunk) => {
            if (gen !== generation) return;
            counters.bytes += chunk.length;
            counters.chunks++;
            lastDataAt = scheduler.now();
            delivered = true;
            if (status.value.state !== 'open') setState('open');
            subscriber.next(chunk);
          },
          onLost: (error) => {
            if (gen !== generation) return;
            void drop();
            retryLater(error);
          },
        });
        if (gen !== generation || stopped) {
          await c.close();
          return;
        }
        connection = c;
        if (status.value.state === 'reconnecting') counters.reconnects++;
        attempt = 0;
        lastDataAt = scheduler.now();
        // A port reopened for silence stays `silent` (or `waiting`) until bytes actually flow again.
        if (status.value.state !== 'silent' && status.value.state !== 'waiting') setState('open');
        armWatchdog();
      } catch (error) {
        if (gen !== generation || stopped) return;
        counters.openFailures++;
        retryLater(error);
      }
    };

    subscribed++;
    setState('opening');
    void open();
    return () => {
      stopped = true;
      subscribed--;
      void drop().then(() => {
        if (subscribed === 0) setState('closed');
      });
    };
  }).pipe(share());

  return { name: driver.path, chunks$, state$: status.asObservable(), counters };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
