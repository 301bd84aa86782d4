// `thrum collect`: the reference consumer. A persistent session under a stable client id (the broker keeps
// what arrives while the collector is down), QoS 1, each alert committed to SQLite before its PUBACK, and
// idempotent by alertId, so redeliveries and restarts never store an alert twice. See docs/consumers.md.
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { ThrumError } from '../../shared/errors.js';
import { filterOf } from '../../shared/mqtt/contract.js';
import { topicIdProblem, topicPrefixProblem } from '../../shared/mqtt/topic-ids.js';
import { sharedSubscription } from '../../shared/mqtt/topics.js';
import { startSubscriber } from '../watch/mqtt-subscriber.js';
import { readPassword } from '../watch/start-watch.js';
import { AlertStore } from './alert-store.js';
import { Collector } from './collector.js';

/** `thrum collect` options as commander hands them over. */
export interface RawCollectOptions {
  mqtt: string;
  db: string;
  prefix: string;
  share?: string;
  clientId?: string;
  protocol: string;
  username?: string;
  passwordFile?: string;
  ca?: string;
}

export interface CollectIo {
  out(line: string): void;
  err(line: string): void;
  /** Resolves when the user wants to stop (SIGINT/SIGTERM). */
  stopped: Promise<void>;
}

/** The alert and evicted filters, shared when `share` is set; prefix and group are checked for the flag. */
export function collectFilters(raw: Pick<RawCollectOptions, 'prefix' | 'share'>): string[] {
  const prefixProblem = topicPrefixProblem(raw.prefix);
  if (prefixProblem) throw usage(`--prefix '${raw.prefix}' ${prefixProblem}`);
  const shareProblem = raw.share === undefined ? undefined : topicIdProblem(raw.share);
  if (shareProblem) throw usage(`--share '${raw.share}' ${shareProblem}`);
  return (['alert', 'evicted'] as const).map((kind) => {
    const filter = filterOf(kind, { prefix: raw.prefix });
    return raw.share === undefined ? filter : sharedSubscription(raw.share, filter);
  });
}

/**
 * Without --client-id: one stable per host, group and database file, so a restarted collector resumes its
 * own session and two collectors on one host never take each other's (the broker would kick one out).
 */
export function defaultClientId(db: string, share: string | undefined): string {
  const digest = createHash('sha256').update(resolve(db)).digest('hex').slice(0, 8);
  return `thrum-collect-${hostname()}-${share ?? 'all'}-${digest}`.slice(0, 64);
}

export async function startCollect(raw: RawCollectOptions, io: CollectIo): Promise<void> {
  const filters = collectFilters(raw);
  const protocol =
    raw.protocol === 'auto' ? 'auto' : raw.protocol === '5' ? 5 : raw.protocol === '3.1.1' ? 4 : undefined;
  if (protocol === undefined) throw usage(`--protocol '${raw.protocol}': use auto, 5 or 3.1.1`);
  const password = raw.passwordFile === undefined ? undefined : readPassword(raw.passwordFile);
  let store: AlertStore;
  try {
    store = new AlertStore(raw.db);
  } catch (err) {
    throw usage(`--db ${raw.db}: cannot open: ${(err as Error).message}`);
  }
  const collector = new Collector(store, raw.prefix, Date.now);

  let storeFailed: (err: unknown) => void = () => {};
  const failed = new Promise<unknown>((r) => {
    storeFailed = r;
  });
  const subscriber = startSubscriber({
    url: raw.mqtt,
    protocol,
    filters,
    clientId: raw.clientId ?? defaultClientId(raw.db, raw.share),
    username: raw.username,
    password,
    ca: raw.ca,
    label: 'collect',
    ackAfterHandling: { onHandlerError: (err) => storeFailed(err) },
    onMessage: (topic, payload) => {
      for (const l of collector.handle(topic, payload)) (l.stream === 'out' ? io.out : io.err)(l.line);
    },
    onNotice: (notice) => io.err(notice.line),
  });
  const failure = await Promise.race([io.stopped.then(() => undefined), failed]);
  await subscriber.close();
  store.close();
  const c = collector.counters;
  io.err(
    `collect: ${c.stored} alert(s) stored, ${c.duplicates} duplicate(s) ignored, ${c.evicted} eviction record(s), ${c.malformed} malformed`,
  );
  if (failure !== undefined) {
    // Fail-stop: the unacked alert stays in the broker session; a supervisor restarts us and it comes again.
    io.err(
      `collect: cannot store an alert in ${raw.db}: ${(failure as Error).message}; stopping (not acked)`,
    );
    process.exitCode = 1;
  }
}

function usage(message: string): ThrumError {
  return new ThrumError('BAD_USAGE', message);
}
