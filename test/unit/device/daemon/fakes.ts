import { BehaviorSubject, Observable, Subject } from 'rxjs';
import type { DaemonBrokerClient } from '../../../../device/daemon/ports.js';
import { InMemoryOutbox } from '../../../../device/outbox/in-memory-outbox.js';
import type { AlertDraft } from '../../../../device/outbox/outbox.js';
import {
  emptySourceCounters,
  type SensorSource,
  type SourceStatus,
} from '../../../../device/source/sensor-source.js';
import type { Clock } from '../../../../shared/clock.js';
import type { Log } from '../../../../shared/log.js';
import { encodeCsv, encodeFrame } from '../../../../shared/protocol/index.js';
import { FakeBrokerClient } from '../publisher/fakes.js';

/** A sensor source the test writes bytes into; it opens on the first subscription, as the real ones do. */
export class FakeSource implements SensorSource {
  readonly name = '/dev/fake-sensor';
  readonly counters = emptySourceCounters();
  private readonly bytes = new Subject<Uint8Array>();
  private readonly status: BehaviorSubject<SourceStatus>;
  readonly state$: Observable<SourceStatus>;
  readonly chunks$: Observable<Uint8Array>;
  subscribers = 0;

  constructor(private readonly clock: Clock) {
    this.status = new BehaviorSubject<SourceStatus>({ state: 'idle', atMs: clock.now() });
    this.state$ = this.status.asObservable();
    this.chunks$ = new Observable<Uint8Array>((subscriber) => {
      this.subscribers++;
      this.setState('open');
      const inner = this.bytes.subscribe(subscriber);
      return () => {
        this.subscribers--;
        inner.unsubscribe();
        if (this.status.value.state !== 'ended') this.setState('closed');
      };
    });
  }

  write(chunk: Uint8Array): void {
    this.counters.bytes += chunk.length;
    this.counters.chunks++;
    this.bytes.next(chunk);
  }

  /** End of input, as a file source reports it. */
  end(): void {
    this.setState('ended');
    this.bytes.complete();
  }

  setState(state: SourceStatus['state'], reason?: string): void {
    this.status.next({ state, ...(reason ? { reason } : {}), atMs: this.clock.now() });
  }
}

/** The publisher fake plus what the daemon also drives: start() (and, optionally, connecting on it). */
export class FakeDaemonClient extends FakeBrokerClient implements DaemonBrokerClient {
  started = 0;
  readonly protocolVersion = 5 as const;
  endTimeoutMs: number | undefined;

  constructor(
    clock: Clock,
    private readonly connectOnStart: boolean,
  ) {
    super(clock);
  }

  start(): void {
    this.started++;
    if (this.connectOnStart) this.connect();
  }

  override async end(timeoutMs?: number): Promise<void> {
    this.endTimeoutMs = timeoutMs;
    await super.end();
  }
}

/** The reference outbox, with a shared timeline of what happened to it (to check the order against publishes). */
export class RecordingOutbox extends InMemoryOutbox {
  wasClosed = false;

  constructor(
    private readonly timeline: string[],
    newId: () => string,
  ) {
    super({ bounds: { maxBytes: 1 << 20, maxAgeMs: 30 * 86_400_000 }, newId });
  }

  override append(alert: AlertDraft): { alertId: string; seq: number } {
    const r = super.append(alert);
    this.timeline.push(`append ${alert.body.kind} #${r.seq}`);
    return r;
  }

  override ack(id: string): boolean {
    const entry = this.pending(1_000_000).find((e) => e.id === id);
    const removed = super.ack(id);
    if (entry?.kind === 'alert') this.timeline.push(`ack ${entry.body.kind} #${entry.seq}`);
    return removed;
  }

  override close(): void {
    this.wasClosed = true;
    super.close();
  }
}

export interface LogRecord {
  level: 'debug' | 'info' | 'warn' | 'error';
  event?: string;
  msg?: string;
  fields: Record<string, unknown>;
}

/** A Log that keeps every record; tests look records up by their `event` field. */
export class RecordingLog implements Log {
  readonly records: LogRecord[] = [];

  debug(obj: object, msg?: string): void {
    this.add('debug', obj, msg);
  }
  info(obj: object, msg?: string): void {
    this.add('info', obj, msg);
  }
  warn(obj: object, msg?: string): void {
    this.add('warn', obj, msg);
  }
  error(obj: object, msg?: string): void {
    this.add('error', obj, msg);
  }

  events(event: string): LogRecord[] {
    return this.records.filter((r) => r.event === event);
  }

  private add(level: LogRecord['level'], obj: object, msg?: string): void {
    const fields = obj as Record<string, unknown>;
    this.records.push({ level, event: fields.event as string | undefined, msg, fields });
  }
}

/**
 * Sensor bytes in either wire format: a 3-axis tone, `samples` at a time. The signal only has to be finite;
 * the fake engine decides the score.
 */
export class SampleEncoder {
  private t = 0;
  private seq = 0;

  constructor(
    private readonly format: 'csv' | 'frames',
    private readonly sensorId: number,
    private readonly sampleRate: number,
  ) {}

  next(samples: number): Uint8Array {
    const values = new Float32Array(samples * 3);
    for (let i = 0; i < samples; i++, this.t++) {
      const phase = (2 * Math.PI * 30 * this.t) / this.sampleRate;
      values[i * 3] = Math.sin(phase);
      values[i * 3 + 1] = Math.cos(phase);
      values[i * 3 + 2] = 0.5 * Math.sin(3 * phase) + 0.01 * ((this.t % 7) - 3);
    }
    if (this.format === 'csv') return new TextEncoder().encode(encodeCsv(values, 3));
    return encodeFrame({
      sensorId: this.sensorId,
      seq: this.seq++,
      channels: 3,
      samples: values,
      format: 'int16',
    });
  }
}
