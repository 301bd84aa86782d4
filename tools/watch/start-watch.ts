import { readFileSync } from 'node:fs';
import { ThrumError } from '../../shared/errors.js';
import { filterOf } from '../../shared/mqtt/contract.js';
import { topicIdProblem, topicPrefixProblem } from '../../shared/mqtt/topic-ids.js';
import { sharedSubscription } from '../../shared/mqtt/topics.js';
import { startSubscriber } from './mqtt-subscriber.js';
import { type PrintedLine, WatchPrinter } from './watch-printer.js';

/** `thrum watch` options as commander hands them over. */
export interface RawWatchOptions {
  mqtt: string;
  prefix: string;
  device?: string;
  sensor?: string;
  json?: boolean;
  protocol: string;
  clientId?: string;
  share?: string;
  username?: string;
  passwordFile?: string;
  ca?: string;
  dedup: string;
  color: boolean;
  scores?: boolean;
  health?: boolean;
}

export interface WatchIo {
  out(line: string): void;
  err(line: string): void;
  /** Whether stdout is a terminal (colors). */
  isTty: boolean;
  /** Resolves when the user wants to stop (SIGINT/SIGTERM). */
  stopped: Promise<void>;
}

export interface WatchFilters {
  alerts: string;
  status: string;
  score: string;
  health: string;
}

/** The subscription filters for the options; ids and prefix are checked so errors name the flag. */
export function watchFilters(
  raw: Pick<RawWatchOptions, 'prefix' | 'device' | 'sensor' | 'share'>,
): WatchFilters {
  const prefixProblem = topicPrefixProblem(raw.prefix);
  if (prefixProblem) throw usage(`--prefix '${raw.prefix}' ${prefixProblem}`);
  for (const [flag, id] of [
    ['--device', raw.device],
    ['--sensor', raw.sensor],
    ['--share', raw.share],
  ] as const) {
    const problem = id === undefined ? undefined : topicIdProblem(id);
    if (problem) throw usage(`${flag} '${id}' ${problem}`);
  }
  const alerts = filterOf('alert', { prefix: raw.prefix, deviceId: raw.device, sensorId: raw.sensor });
  return {
    alerts: raw.share === undefined ? alerts : sharedSubscription(raw.share, alerts),
    status: filterOf('status', { prefix: raw.prefix, deviceId: raw.device }),
    score: filterOf('score', { prefix: raw.prefix, deviceId: raw.device, sensorId: raw.sensor }),
    health: filterOf('health', { prefix: raw.prefix, deviceId: raw.device }),
  };
}

export async function startWatch(raw: RawWatchOptions, io: WatchIo): Promise<void> {
  const filters = watchFilters(raw);
  const protocol =
    raw.protocol === 'auto' ? 'auto' : raw.protocol === '5' ? 5 : raw.protocol === '3.1.1' ? 4 : undefined;
  if (protocol === undefined) throw usage(`--protocol '${raw.protocol}': use auto, 5 or 3.1.1`);
  const dedup = Number(raw.dedup);
  if (!Number.isInteger(dedup) || dedup < 1)
    throw usage(`--dedup '${raw.dedup}' must be a whole number >= 1`);
  const password = raw.passwordFile === undefined ? undefined : readPassword(raw.passwordFile);

  const printer = new WatchPrinter({
    prefix: raw.prefix,
    json: raw.json === true,
    color: raw.color && io.isTty && !process.env.NO_COLOR,
    dedupCapacity: dedup,
    now: Date.now,
    scores: raw.scores === true,
    health: raw.health === true,
  });
  const print = (lines: PrintedLine[]) => {
    for (const { stream, line } of lines) (stream === 'out' ? io.out : io.err)(line);
  };
  const subscriber = startSubscriber({
    url: raw.mqtt,
    protocol,
    filters: [
      filters.alerts,
      filters.status,
      ...(raw.scores ? [filters.score] : []),
      ...(raw.health ? [filters.health] : []),
    ],
    clientId: raw.clientId,
    username: raw.username,
    password,
    ca: raw.ca,
    onMessage: (topic, payload) => print(printer.handle(topic, payload)),
    onNotice: (notice) => io.err(notice.line),
  });
  await io.stopped;
  await subscriber.close();
  const c = printer.counters;
  io.err(
    `watch: ${c.alerts} alert(s), ${c.duplicates} duplicate(s) dropped, ${c.statusChanges} status change(s), ${c.malformed} malformed`,
  );
}

/** The password in `--password-file` (one trailing newline dropped). */
export function readPassword(path: string): string {
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    throw usage(`--password-file ${path}: cannot read: ${(err as Error).message}`);
  }
}

function usage(message: string): ThrumError {
  return new ThrumError('BAD_USAGE', message);
}
