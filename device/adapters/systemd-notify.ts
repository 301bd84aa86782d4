import { execFile } from 'node:child_process';
import type { Log } from '../../shared/log.js';

/**
 * The service manager's side of the daemon's life (sd_notify): readiness, liveness, shutdown. A port so the
 * daemon can be wired and tested without systemd; `createSystemdNotifier` is the adapter, a no-op outside a
 * `Type=notify` unit.
 */
export interface ServiceNotifier {
  /** True when a service manager listens (NOTIFY_SOCKET is set). */
  readonly active: boolean;
  /** The watchdog period the manager expects pings within (WATCHDOG_USEC), or undefined when off. */
  readonly watchdogMs: number | undefined;
  /** READY=1 (+ STATUS=): start-up is complete. */
  ready(status?: string): Promise<void>;
  /** WATCHDOG=1: the daemon is alive and healthy. */
  watchdog(): Promise<void>;
  /** STOPPING=1: a graceful stop has begun. */
  stopping(status?: string): Promise<void>;
  /** STATUS=<text>: one line shown by `systemctl status`. */
  status(text: string): Promise<void>;
}

export type NotifyRunner = (args: string[]) => Promise<void>;

/**
 * Node cannot send the unix datagram sd_notify uses, so the adapter runs `systemd-notify`, which waits until
 * the manager has taken the message (it would otherwise misattribute a message from an exited sender); the
 * unit says NotifyAccess=all so a child may speak for the service (the main PID is the node process the unit
 * started: bin/thrum execs it).
 */
export function createSystemdNotifier(
  options: { env?: NodeJS.ProcessEnv; log?: Log; run?: NotifyRunner } = {},
): ServiceNotifier {
  const env = options.env ?? process.env;
  const active = Boolean(env.NOTIFY_SOCKET);
  const usec = Number(env.WATCHDOG_USEC);
  // WATCHDOG_PID names the process the watchdog is meant for; it is ours (systemd-notify is our child).
  const forUs = !env.WATCHDOG_PID || Number(env.WATCHDOG_PID) === process.pid;
  const watchdogMs = active && forUs && Number.isFinite(usec) && usec > 0 ? usec / 1000 : undefined;
  const run: NotifyRunner =
    options.run ??
    ((args) =>
      new Promise((resolve, reject) =>
        execFile('systemd-notify', args, { env, timeout: 5000 }, (error) =>
          error ? reject(error) : resolve(),
        ),
      ));
  let warned = false;
  const send = async (args: string[]) => {
    if (!active) return;
    try {
      await run(args);
    } catch (error) {
      // A missed notification must not stop the daemon: systemd will say so (start timeout, watchdog).
      if (!warned) options.log?.warn({ err: (error as Error).message, args }, 'systemd-notify failed');
      warned = true;
    }
  };
  const statusArg = (text?: string) => (text ? [`STATUS=${text.replace(/\s+/g, ' ').slice(0, 200)}`] : []);
  return {
    active,
    watchdogMs,
    ready: (status) => send(['READY=1', ...statusArg(status)]),
    watchdog: () => send(['WATCHDOG=1']),
    stopping: (status) => send(['STOPPING=1', ...statusArg(status)]),
    status: (text) => send(statusArg(text)),
  };
}

/** One health check: undefined when healthy, else what is wrong (logged once while it lasts). */
export type HealthCheck = () => string | undefined;

/**
 * Pings the watchdog every half period, but only while every check passes: a stalled pipeline, a wedged
 * outbox or a blocked event loop then lets WatchdogSec expire and systemd restarts the daemon
 * (Restart=on-failure). Does nothing when the unit has no WatchdogSec. Returns a stop function.
 */
export function keepWatchdog(
  notifier: ServiceNotifier,
  checks: readonly HealthCheck[],
  log: Log,
  timers: { setInterval: typeof setInterval; clearInterval: typeof clearInterval } = globalThis,
): () => void {
  const period = notifier.watchdogMs;
  if (period === undefined) return () => {};
  let withheld: string | undefined;
  const tick = () => {
    const problems = checks.map((check) => safely(check)).filter((p): p is string => p !== undefined);
    if (problems.length === 0) {
      if (withheld) log.info({ event: 'watchdog.resumed' }, 'healthy again: watchdog pings resume');
      withheld = undefined;
      void notifier.watchdog();
      return;
    }
    const why = problems.join('; ');
    if (why !== withheld) {
      log.warn(
        { event: 'watchdog.withheld', problems },
        `not pinging the watchdog (${why}): systemd restarts the daemon after ${period / 1000} s`,
      );
    }
    withheld = why;
  };
  const handle = timers.setInterval(tick, Math.max(500, period / 2));
  (handle as { unref?: () => void }).unref?.();
  tick();
  return () => timers.clearInterval(handle);
}

function safely(check: HealthCheck): string | undefined {
  try {
    return check();
  } catch (error) {
    return `health check threw: ${(error as Error).message}`;
  }
}

/** Sections of the daemon's health report (device/health) the checks below read. */
export type HealthSections = Record<string, Record<string, unknown> | undefined>;

/**
 * Watchdog checks from the daemon's own health sections: the outbox must answer and must not be quarantined,
 * and while samples arrive (frames.samples grows) windows must keep being scored (inference.scored grows) (inference not
 * wedged). `stallMs`: how long input may arrive with no window scored.
 */
export function pipelineAndOutboxChecks(
  sections: () => HealthSections,
  options: { stallMs?: number; now?: () => number } = {},
): HealthCheck[] {
  const stallMs = options.stallMs ?? 30_000;
  const now = options.now ?? Date.now;
  let lastInput: number | undefined;
  let lastScored: number | undefined;
  let progressAt = now();
  return [
    () => {
      const outbox = sections().outbox;
      if (!outbox) return 'outbox: no status';
      if ('error' in outbox) return `outbox: ${String(outbox.error)}`;
      if (outbox.quarantinedTo !== undefined) return `outbox quarantined to ${String(outbox.quarantinedTo)}`;
      return undefined;
    },
    () => {
      const s = sections();
      const input = numberOf(s.frames, ['samples']);
      const scored = numberOf(s.inference, ['scored']);
      const t = now();
      const inputMoved = input !== undefined && input !== lastInput;
      const scoredMoved = scored !== undefined && scored !== lastScored;
      lastInput = input;
      lastScored = scored;
      if (scoredMoved || !inputMoved) progressAt = t;
      return t - progressAt > stallMs
        ? `pipeline stalled: input arrives but no window was scored for ${Math.round((t - progressAt) / 1000)} s`
        : undefined;
    },
  ];
}

function numberOf(section: Record<string, unknown> | undefined, keys: string[]): number | undefined {
  if (!section) return undefined;
  for (const key of keys) if (typeof section[key] === 'number') return section[key] as number;
  return undefined;
}
