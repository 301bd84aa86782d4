// A real mosquitto on a loopback port, with its own config and log in a dir of its own:
//
//   const broker = await startMosquitto();        // broker.url = 'mqtt://127.0.0.1:<port>'
//   broker.pause(); broker.resume();              // SIGSTOP / SIGCONT: a broker that hangs
//   await broker.restart({ downMs: 5000 });       // same port; clients must reconnect
//   await broker.stop();                          // connections are refused afterwards
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { exited, terminate } from './child-exit.js';
import { type Stoppable, track, untrack } from './cleanup.js';
import { requireTool } from './executables.js';
import { freePort, waitForTcp } from './loopback.js';
import { makeTempDir } from './run-token.js';

export interface MosquittoOptions {
  /** Port to listen on (default: a free one). */
  port?: number;
  /** Extra mosquitto.conf lines after the defaults, e.g. `['max_queued_messages 10']`. */
  config?: string[];
  /** Log every packet (`log_type all`) instead of errors/warnings/notices only; see `log()`. */
  verbose?: boolean;
  /** Keep sessions and queued messages across restart() (`persistence true`); default off: fresh state. */
  persistence?: boolean;
  /** Where the config, the log and the data go; stop() leaves it. Default: a temp dir that stop() removes. */
  dir?: string;
  /** How long to wait for the broker to accept TCP connections (default 10 s). */
  startTimeoutMs?: number;
}

export interface Mosquitto extends Stoppable {
  readonly port: number;
  /** `mqtt://127.0.0.1:<port>` */
  readonly url: string;
  /** Pid of the current broker process (changes on restart). */
  readonly pid: number;
  /** Stops the broker (SIGTERM, SIGKILL after 3 s) and removes its temp dir. Idempotent. */
  stop(): Promise<void>;
  /** SIGSTOP: the socket stays open but nothing is answered. */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
  /** Stops, stays down for `downMs` (default 0), and starts again on the same port. */
  restart(opts?: { downMs?: number }): Promise<void>;
  /** The broker's log so far (useful in failure messages). */
  log(): string;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function startMosquitto(opts: MosquittoOptions = {}): Promise<Mosquitto> {
  const bin = requireTool('mosquitto');
  const dir = opts.dir ?? makeTempDir('mosquitto');
  mkdirSync(dir, { recursive: true });
  const confPath = join(dir, 'mosquitto.conf');
  const logPath = join(dir, 'mosquitto.log');
  const dataDir = join(dir, 'data');
  writeFileSync(logPath, '');
  if (opts.persistence) mkdirSync(dataDir, { recursive: true });
  let port = opts.port ?? (await freePort());
  let child: ChildProcess | undefined;
  let stopped = false;
  const removeDir = () => {
    if (opts.dir === undefined) rmSync(dir, { recursive: true, force: true });
  };

  const writeConfig = () =>
    writeFileSync(
      confPath,
      [
        `listener ${port} 127.0.0.1`,
        'allow_anonymous true',
        ...(opts.persistence
          ? ['persistence true', `persistence_location ${dataDir}/`]
          : ['persistence false']),
        `log_dest file ${logPath}`,
        ...(opts.verbose ? ['log_type all'] : ['log_type error', 'log_type warning', 'log_type notice']),
        'connection_messages true',
        // As root mosquitto drops to user `mosquitto`, which cannot write our temp log file.
        ...(userInfo().uid === 0 ? ['user root'] : []),
        ...(opts.config ?? []),
        '',
      ].join('\n'),
    );
  const log = () => {
    try {
      return readFileSync(logPath, 'utf8');
    } catch {
      return '';
    }
  };

  const launch = async (): Promise<void> => {
    const proc = spawn(bin, ['-c', confPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child = proc;
    const died = exited(proc).then(
      () => 'died' as const,
      (e: Error) => e,
    );
    const ready = waitForTcp(port, opts.startTimeoutMs ?? 10_000).then(() => 'ready' as const);
    const outcome = await Promise.race([ready, died]).catch((e: Error) => e);
    if (outcome === 'ready') return;
    await terminate(proc);
    const why = outcome instanceof Error ? outcome.message : `exited with code ${proc.exitCode}`;
    throw new Error(`mosquitto on port ${port} did not start: ${why}\n${stderr}${log()}`);
  };

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    untrack(handle);
    if (child) await terminate(child);
    removeDir();
  };

  const handle: Mosquitto = {
    get port() {
      return port;
    },
    get url() {
      return `mqtt://127.0.0.1:${port}`;
    },
    get pid() {
      return child?.pid ?? -1;
    },
    stop,
    killSync() {
      child?.kill('SIGKILL');
      removeDir();
    },
    pause() {
      child?.kill('SIGSTOP');
    },
    resume() {
      child?.kill('SIGCONT');
    },
    async restart({ downMs = 0 } = {}) {
      if (stopped) throw new Error('mosquitto: restart() after stop()');
      if (child) await terminate(child);
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      // The old listening socket is closed by now; retry briefly in case the kernel still holds the port.
      for (let attempt = 1; ; attempt++) {
        try {
          await launch();
          return;
        } catch (e) {
          if (attempt >= 5) throw e;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    },
    log,
    [Symbol.asyncDispose]: stop,
  };
  track(handle);

  // A free port can be taken between probing and binding: try a few others unless one was asked for.
  for (let attempt = 1; ; attempt++) {
    writeConfig();
    try {
      await launch();
      return handle;
    } catch (e) {
      if (opts.port !== undefined || attempt >= 5) {
        await stop();
        throw e;
      }
      port = await freePort();
    }
  }
}
