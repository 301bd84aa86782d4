import type { Observable } from 'rxjs';

/**
 * - `idle`: nobody subscribed yet. `opening`: first open in progress.
 * - `open`: port open (serial) or input being read (file, stdin).
 * - `silent`: the read-silence watchdog fired; the port is reopened (again every silence period) until bytes
 *   flow, then it is `open` again.
 * - `waiting`: the same for a port that has not sent a single byte since the source started (the sensor is not
 *   streaming yet, e.g. `thrum sim --pty` not started): expected at start, so logged once at info, not warned.
 * - `reconnecting`: the port is gone or failed to open; retrying with capped exponential backoff.
 * - `ended`: end of input (file, stdin). `closed`: the last subscriber unsubscribed and the port is closed.
 */
export type SourceState =
  | 'idle'
  | 'opening'
  | 'open'
  | 'waiting'
  | 'silent'
  | 'reconnecting'
  | 'ended'
  | 'closed';

/** Every state but `idle`, which is where a source starts, never a change it logs. */
export type LoggedSourceState = Exclude<SourceState, 'idle'>;

/**
 * The log `event` of each state change (docs/logging.md): one stable name per state, so a test or an operator
 * looks for `source.reconnecting`, never for the wording of the message.
 */
export const SOURCE_STATE_EVENTS = {
  opening: 'source.opening',
  open: 'source.open',
  waiting: 'source.waiting',
  silent: 'source.silent',
  reconnecting: 'source.reconnecting',
  ended: 'source.ended',
  closed: 'source.closed',
} as const satisfies { [S in LoggedSourceState]: `source.${S}` };

export interface SourceStatus {
  state: SourceState;
  /** Why, for `silent` and `reconnecting`: the error message or the silence. */
  reason?: string;
  /** Scheduler time (ms) of the change. */
  atMs: number;
}

export interface SourceCounters {
  bytes: number;
  chunks: number;
  /** Successful re-opens after the port was lost or failed to open. */
  reconnects: number;
  /** Failed open attempts. */
  openFailures: number;
  /** Times the watchdog closed a port that went quiet, to reopen it. */
  watchdogReopens: number;
}

/**
 * Where sensor bytes come from: a serial port, a recorded file or stdin, so the same pipeline runs on live and
 * recorded data. `chunks$` is cold and shared: the first subscription opens the source, the last unsubscription
 * closes it. Serial sources never complete or error (they reconnect); file and stdin sources complete at end
 * of input and error (ThrumError BAD_DATA) when the input cannot be read.
 */
export interface SensorSource {
  /** For logs: the port path, the file path or `stdin`. */
  readonly name: string;
  readonly chunks$: Observable<Uint8Array>;
  /** The current status on subscription, then every change (one emission per change, not per retry). */
  readonly state$: Observable<SourceStatus>;
  readonly counters: Readonly<SourceCounters>;
}

export function emptySourceCounters(): SourceCounters {
  return { bytes: 0, chunks: 0, reconnects: 0, openFailures: 0, watchdogReopens: 0 };
}
