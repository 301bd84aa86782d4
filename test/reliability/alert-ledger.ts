// Receiver-side counting for the fault-injection tests (issue #7): a subscriber on its own persistent MQTT
// session, and a ledger that checks, per sensor, that the alerts that arrived (deduplicated by alertId) are
// exactly seq 1..N, first arrivals in order, with no gap except announced eviction ranges. Duplicates are
// counted, never a failure: the guarantee is at-least-once. Messages are read through the MQTT contract
// (shared/mqtt/contract.ts); one that breaks it is reported as malformed.
import mqtt, { type MqttClient } from 'mqtt';
import { type Evicted, parseMessage } from '../../shared/mqtt/contract.js';
import { SeqGapTracker } from '../../shared/mqtt/seq-gaps.js';
import { DEVICE_ID } from '../e2e/daemon-harness.js';

export interface ArrivedAlert {
  alertId: string;
  sensorId: string;
  seq: number;
  kind: string;
  historical: boolean;
  at: number;
}

export interface LedgerReport {
  /** Distinct alertIds. */
  unique: number;
  /** Arrivals of an alertId already seen. */
  duplicates: number;
  /** Highest seq seen per sensor. */
  maxSeq: Record<string, number>;
  /** Seq holes not covered by an eviction record. */
  gaps: Array<{ sensorId: string; fromSeq: number; toSeq: number }>;
  /** Distinct alertIds that claimed the same seq (the counter went back, e.g. after a crash). */
  seqReused: number[];
  /** First arrivals whose seq was not above the previous first arrival's of the same sensor. */
  outOfOrder: Array<{ sensorId: string; after: number; got: number }>;
  /** Messages that broke the MQTT contract (topic and reason). */
  malformed: string[];
}

export class AlertLedger {
  readonly arrivals: ArrivedAlert[] = [];
  /** Every eviction record that arrived, duplicates included. */
  readonly evictions: Evicted[] = [];
  private readonly malformed: string[] = [];
  private readonly byId = new Map<string, ArrivedAlert>();
  private readonly idBySeq = new Map<string, string>();
  private readonly lastFirstSeq = new Map<string, number>();
  private readonly tracker = new SeqGapTracker();
  private readonly outOfOrder: LedgerReport['outOfOrder'] = [];
  private readonly seqReused: number[] = [];
  private readonly maxSeq: Record<string, number> = {};
  private dupes = 0;
  private readonly anchored = new Set<string>();

  onMessage(topic: string, payload: Buffer): void {
    let message: ReturnType<typeof parseMessage>;
    try {
      message = parseMessage(topic, payload);
    } catch (err) {
      this.malformed.push((err as Error).message);
      return;
    }
    if (message?.kind === 'evicted') {
      this.evictions.push(message.payload);
      this.tracker.evicted(DEVICE_ID, message.sensorId, message.payload);
      return;
    }
    if (message?.kind !== 'alert') return;
    const { alertId, seq, kind, historical } = message.payload;
    const a: ArrivedAlert = { alertId, sensorId: message.sensorId, seq, kind, historical, at: Date.now() };
    this.arrivals.push(a);
    if (this.byId.has(a.alertId)) {
      this.dupes += 1;
      return;
    }
    this.byId.set(a.alertId, a);
    // The tracker starts counting at a sensor's first arrival; anchoring it at 0 makes a missing seq 1 a gap
    // (the ledger subscribes before the daemon's first alert, so nothing came before).
    if (!this.anchored.has(a.sensorId)) {
      this.anchored.add(a.sensorId);
      this.tracker.evicted(DEVICE_ID, a.sensorId, { fromSeq: 0, toSeq: 0 });
    }
    this.tracker.alert(DEVICE_ID, a.sensorId, a.seq);
    const key = `${a.sensorId}:${a.seq}`;
    if (this.idBySeq.has(key)) this.seqReused.push(a.seq);
    this.idBySeq.set(key, a.alertId);
    const last = this.lastFirstSeq.get(a.sensorId) ?? 0;
    if (a.seq <= last) this.outOfOrder.push({ sensorId: a.sensorId, after: last, got: a.seq });
    this.lastFirstSeq.set(a.sensorId, Math.max(last, a.seq));
    this.maxSeq[a.sensorId] = Math.max(this.maxSeq[a.sensorId] ?? 0, a.seq);
  }

  get unique(): number {
    return this.byId.size;
  }

  report(): LedgerReport {
    const gaps = this.tracker.gaps().map(({ sensorId, fromSeq, toSeq }) => ({ sensorId, fromSeq, toSeq }));
    return {
      unique: this.unique,
      duplicates: this.dupes,
      maxSeq: { ...this.maxSeq },
      gaps,
      seqReused: [...this.seqReused],
      outOfOrder: [...this.outOfOrder],
      malformed: [...this.malformed],
    };
  }
}

/**
 * Subscribes to the test device's alert and eviction topics over MQTT 3.1.1 with a fixed client id and
 * `clean: false`, so a broker started with persistence keeps its session and queued QoS 1 messages across a
 * broker restart: the ledger then misses nothing the broker accepted while the subscriber was reconnecting.
 */
export async function ledgerSubscriber(
  url: string,
  clientId: string,
): Promise<{ ledger: AlertLedger; client: MqttClient; close(): Promise<void> }> {
  const ledger = new AlertLedger();
  const client = await mqtt.connectAsync(url, {
    protocolVersion: 4,
    clientId,
    clean: false,
    reconnectPeriod: 100,
  });
  client.on('message', (topic, payload) => ledger.onMessage(topic, payload));
  client.on('error', () => {});
  await client.subscribeAsync([`thrum/${DEVICE_ID}/+/alert`, `thrum/${DEVICE_ID}/+/evicted`], { qos: 1 });
  return { ledger, client, close: () => client.endAsync(true) };
}
