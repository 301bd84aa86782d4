import { type Alert, type Contribution, parseMessage, type Status } from '../../shared/mqtt/contract.js';
import { formatPValue, formatScore, formatShare } from './format-values.js';
import { SeenIds } from './seen-ids.js';
import { healthLine, scoreLine } from './telemetry-lines.js';

export interface WatchPrinterOptions {
  prefix: string;
  /** One JSON object per line instead of readable text. */
  json: boolean;
  /** ANSI colors for RAISED/CLEARED/ONLINE/OFFLINE (text mode on a terminal). */
  color: boolean;
  /** How many alert ids to remember for deduplication. */
  dedupCapacity?: number;
  /** Epoch ms now; status lines carry the time they were received. */
  now: () => number;
  /** Also a line per score summary (`--scores`) and per health report (`--health`). */
  scores?: boolean;
  health?: boolean;
}

/** An output line (stdout), or a warning (stderr) with a stable name of what went wrong. */
export type PrintedLine =
  | { stream: 'out'; line: string }
  | { stream: 'err'; event: 'watch.malformed-message' | 'watch.foreign-topic'; line: string };

export interface WatchCounters {
  alerts: number;
  duplicates: number;
  statusChanges: number;
  malformed: number;
}

const TOP_CONTRIBUTIONS = 3;
const ANSI = { red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m', dim: '\x1b[2m', reset: '\x1b[0m' };

/**
 * Turns received MQTT messages into output lines: each alert once (by alertId, however often it is
 * delivered), each device's status only when it changes, a warning for anything malformed. Pure: no I/O,
 * time comes from `now`.
 */
export class WatchPrinter {
  readonly counters: WatchCounters = { alerts: 0, duplicates: 0, statusChanges: 0, malformed: 0 };
  private readonly seen: SeenIds;
  private readonly devices = new Map<string, { state: Status['state']; session: string }>();

  constructor(private readonly options: WatchPrinterOptions) {
    this.seen = new SeenIds(options.dedupCapacity ?? 100_000);
  }

  handle(topic: string, payload: Uint8Array | string): PrintedLine[] {
    let message: ReturnType<typeof parseMessage>;
    try {
      message = parseMessage(topic, payload, this.options.prefix);
    } catch (err) {
      this.counters.malformed++;
      return [
        {
          stream: 'err',
          event: 'watch.malformed-message',
          line: `warning: skipped a malformed message: ${(err as Error).message}`,
        },
      ];
    }
    if (!message) {
      this.counters.malformed++;
      return [
        {
          stream: 'err',
          event: 'watch.foreign-topic',
          line: `warning: skipped a message on ${topic}: not a thrum topic under '${this.options.prefix}'`,
        },
      ];
    }
    if (message.kind === 'alert') return this.alert(topic, message.payload);
    if (message.kind === 'status') return this.status(topic, message.payload);
    if (message.kind === 'score' && this.options.scores) {
      if (this.options.json) return [this.jsonLine('score', topic, message.payload)];
      return [{ stream: 'out', line: scoreLine(message.deviceId, message.sensorId, message.payload) }];
    }
    if (message.kind === 'health' && this.options.health) {
      if (this.options.json) return [this.jsonLine('health', topic, message.payload)];
      return [{ stream: 'out', line: healthLine(message.payload) }];
    }
    return [];
  }

  private alert(topic: string, alert: Alert): PrintedLine[] {
    if (this.seen.check(alert.alertId)) {
      this.counters.duplicates++;
      return [];
    }
    this.counters.alerts++;
    if (this.options.json) {
      return [
        {
          stream: 'out',
          line: JSON.stringify({ type: 'alert', topic, receivedAt: this.receivedAt(), ...alert }),
        },
      ];
    }
    return [{ stream: 'out', line: this.alertText(alert) }];
  }

  private status(topic: string, status: Status): PrintedLine[] {
    const last = this.devices.get(status.deviceId);
    if (last && last.state === status.state && last.session === status.session) return [];
    this.devices.set(status.deviceId, { state: status.state, session: status.session });
    this.counters.statusChanges++;
    if (this.options.json) {
      return [
        {
          stream: 'out',
          line: JSON.stringify({ type: 'status', topic, receivedAt: this.receivedAt(), ...status }),
        },
      ];
    }
    const restarted =
      last?.state === 'online' && status.state === 'online' ? ' (restarted: new session)' : '';
    const word = status.state === 'online' ? this.paint('ONLINE ', 'green') : this.paint('OFFLINE', 'yellow');
    const bundle = `bundle ${status.bundleId}${status.variant ? ` (${status.variant})` : ''}`;
    const detail = status.state === 'online' ? `${bundle}, started ${status.startedAt}${restarted}` : bundle;
    return [{ stream: 'out', line: `${this.receivedAt()}  ${status.deviceId}  ${word}  ${detail}` }];
  }

  private alertText(a: Alert): string {
    const raised = a.kind === 'raised';
    const word = raised ? this.paint('RAISED ', 'red') : this.paint('CLEARED', 'green');
    const relation = a.score >= a.threshold ? '>=' : '<';
    const ratio =
      a.threshold > 0
        ? ` (${(a.score / a.threshold).toFixed(2)}x, ${a.modelVariant})`
        : ` (${a.modelVariant})`;
    const parts = [
      a.windowEnd,
      `${a.deviceId}/${a.sensorId}`,
      word,
      `#${a.seq}`,
      // A cleared alert carries the episode's peak score (shared/detector), not the score of the clearing window.
      raised
        ? `score ${formatScore(a.score)} ${relation} threshold ${formatScore(a.threshold)}${ratio}`
        : `episode peak ${formatScore(a.score)} vs threshold ${formatScore(a.threshold)}${ratio}`,
      formatPValue(a.pValue),
    ];
    if (a.contributions.length > 0) parts.push(`top: ${topContributions(a.contributions)}`);
    if (a.source) {
      const name = a.source.file.split('/').pop();
      parts.push(`at ${a.source.secondsFromStart.toFixed(2)} s in ${name} (sample ${a.source.sampleOffset})`);
    }
    if (a.historical) parts.push(this.paint('(replayed)', 'dim'));
    return parts.join('  ');
  }

  private jsonLine(type: string, topic: string, payload: object): PrintedLine {
    return {
      stream: 'out',
      line: JSON.stringify({ type, topic, receivedAt: this.receivedAt(), ...payload }),
    };
  }

  private receivedAt(): string {
    return new Date(this.options.now()).toISOString();
  }

  private paint(text: string, color: keyof typeof ANSI): string {
    return this.options.color ? `${ANSI[color]}${text}${ANSI.reset}` : text;
  }
}

function topContributions(contributions: Contribution[]): string {
  return [...contributions]
    .sort((a, b) => b.share - a.share)
    .slice(0, TOP_CONTRIBUTIONS)
    .map((c) => `${c.group} ${formatShare(c.share)}`)
    .join(', ');
}
