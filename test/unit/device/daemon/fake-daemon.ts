// A whole daemon built from fakes through the production wiring (buildDaemon): a source the test writes csv
// or frames into, an engine whose reconstruction error the test sets, the in-memory outbox, a fake broker
// client, a recording log and the virtual clock. Nothing here opens a file, a port or a socket.
import type { Config } from '../../../../device/config/load-config.js';
import { configSchema } from '../../../../device/config/schema.js';
import { buildDaemon } from '../../../../device/daemon/build.js';
import type { BundleProvenance, DaemonModel } from '../../../../device/daemon/ports.js';
import type { OutboxEntry } from '../../../../device/outbox/outbox.js';
import type { InferenceEngine } from '../../../../runtime/scoring/inference-engine.js';
import type { DetectorRule } from '../../../../shared/bundle/manifest.js';
import { detectorConfig } from '../../../../shared/detector/index.js';
import { uuidv7 } from '../../../../shared/mqtt/uuidv7.js';
import { FakeClock, settle } from '../../../helpers/fake-clock.js';
import { fakeEngine } from '../../runtime/scoring/fake-engine.js';
import { manifestFor, SPEC } from '../../shared/bundle/bundle-fixture.js';
import { FakeDaemonClient, FakeSource, RecordingLog, RecordingOutbox, SampleEncoder } from './fakes.js';

export const DEVICE_ID = 'unit-pump';
export const SENSOR_ID = 1;
/** The fixture bundle's calibrated threshold (both variants). */
export const THRESHOLD = 1.5;
/** Reconstruction errors: window score = error^2 (the mean squared error over the feature vector). */
export const HIGH = 3;
export const LOW = 0.5;

export interface FakeDaemonOptions {
  format?: 'csv' | 'frames';
  /** The fake broker accepts the connection as soon as the daemon starts the client (default true). */
  connectOnStart?: boolean;
  /** Config sections merged over the defaults below. */
  config?: Record<string, Record<string, unknown>>;
  /** Overrides of the detector rule; default: decide on every window (k=1 of n=1, clear after 1, no cooldown). */
  rule?: Partial<DetectorRule>;
  /** What `model.variant: auto` decided (default: int8, as configured, no reason). */
  variant?: Pick<DaemonModel, 'variant' | 'variantReason'>;
  /** How the bundle checked out at load (openModel's result); default none, as for a bundle nobody checked. */
  provenance?: BundleProvenance;
}

export function fakeDaemon(o: FakeDaemonOptions = {}) {
  const format = o.format ?? 'csv';
  const clock = new FakeClock();
  const timeline: string[] = [];
  const log = new RecordingLog();
  const source = new FakeSource(clock);
  const client = new FakeDaemonClient(clock, o.connectOnStart ?? true);
  const outbox = new RecordingOutbox(timeline, () => uuidv7(clock.now()));
  const recordPublish = client.publish.bind(client);
  client.publish = (topic, payload, options) => {
    if (topic.endsWith('/alert')) {
      const p = JSON.parse(payload) as { kind: string; seq: number };
      timeline.push(`publish ${p.kind} #${p.seq}`);
    }
    return recordPublish(topic, payload, options);
  };

  const config = makeConfig(format, o.config ?? {});
  const manifest = manifestFor({
    fp32: { path: 'model.onnx', sha256: '0'.repeat(64), bytes: 1 },
    int8: { path: 'model.int8.onnx', sha256: '1'.repeat(64), bytes: 1 },
  });
  const control: { error: number; fail: Error | undefined } = { error: 0, fail: undefined };
  const inner = fakeEngine(manifest.model.inputSize, (x) => x + control.error);
  const engine: InferenceEngine & { readonly closed: boolean; readonly runs: number } = {
    inputSize: inner.inputSize,
    run: (batch, n) => (control.fail ? Promise.reject(control.fail) : inner.run(batch, n)),
    close: () => inner.close(),
    get closed() {
      return inner.closed;
    },
    get runs() {
      return inner.runs;
    },
  };
  const model: DaemonModel = {
    manifest,
    variant: 'int8',
    ...o.variant,
    engine,
    detector: detectorConfig(
      { ...manifest.detector, k: 1, n: 1, minClearWindows: 1, cooldownWindows: 0, ...o.rule },
      manifest.variants.int8,
    ),
    ...(o.provenance ? { provenance: o.provenance } : {}),
  };
  const acked: Array<{ entry: OutboxEntry; at: number }> = [];
  const daemon = buildDaemon(config, {
    model,
    source,
    client,
    outbox,
    clock,
    log,
    session: { id: 'session-1', startedAt: clock.now() },
    hooks: { onAcked: (entry, at) => acked.push({ entry, at }) },
  });

  const encoder = new SampleEncoder(format, SENSOR_ID, SPEC.sampleRate);
  let windowsWritten = 0;
  /** Writes the samples that complete `n` more windows, each scored with reconstruction error `error`. */
  async function windows(n: number, error: number): Promise<void> {
    control.error = error;
    const first = windowsWritten === 0 ? SPEC.window - SPEC.hop : 0;
    source.write(encoder.next(first + n * SPEC.hop));
    windowsWritten += n;
    await settle();
  }

  const sent = (suffix: string) => client.sent.filter((m) => m.topic.endsWith(suffix));
  return {
    daemon,
    config,
    clock,
    log,
    source,
    client,
    outbox,
    engine,
    control,
    timeline,
    acked,
    windows,
    alerts: () => sent('/alert').map((m) => m.payload),
    sent,
  };
}

/** Resolves `p` while moving the virtual clock forward in small steps (waits inside it are on that clock). */
export async function drive<T>(clock: FakeClock, p: Promise<T>, stepMs = 10, limitMs = 60_000): Promise<T> {
  let settled = false;
  p.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let waited = 0; !settled && waited < limitMs; waited += stepMs) await clock.advance(stepMs);
  if (!settled) throw new Error(`did not settle within ${limitMs} ms of virtual time`);
  return p;
}

/** A validated config for the fake daemon (nothing on disk is checked). */
export function makeConfig(format: 'csv' | 'frames', extra: Record<string, Record<string, unknown>>): Config {
  const doc: Record<string, Record<string, unknown>> = {
    device: { id: DEVICE_ID },
    serial: { source: 'stdin', format, channels: 3, sampleRate: SPEC.sampleRate, sensorId: SENSOR_ID },
    model: { bundle: '/not/opened/by/buildDaemon', variant: 'int8' },
    mqtt: { url: 'mqtt://broker.invalid:1883', historicalAfterMs: 1000 },
    score: { intervalMs: 1000 },
    health: { intervalMs: 5000 },
    inference: { maxBatch: 8, maxDelayMs: 0 },
    shutdown: { deadlineMs: 2000 },
  };
  for (const [section, values] of Object.entries(extra)) doc[section] = { ...doc[section], ...values };
  const parsed = configSchema.parse(doc);
  const { password: _inline, ...mqtt } = parsed.mqtt;
  return { ...parsed, file: '/virtual/thrum.yaml', mqtt };
}
