import type { InferenceEngine } from '../../runtime/scoring/inference-engine.js';
import type { Manifest, ModelVariant } from '../../shared/bundle/manifest.js';
import type { Clock } from '../../shared/clock.js';
import type { DetectorConfig } from '../../shared/detector/index.js';
import type { Log } from '../../shared/log.js';
import type { Outbox, OutboxEntry } from '../outbox/outbox.js';
import type { BrokerClient } from '../publisher/broker-client.js';
import type { SensorSource } from '../source/sensor-source.js';

// Everything a daemon touches outside its own memory. `real-ports.ts` makes them from a config (serial port,
// ONNX Runtime, SQLite, mqtt.js, the system clock); a test makes them from fakes. `buildDaemon` only wires.

/** The broker connection as the daemon drives it: the publisher's BrokerClient plus the first connect. */
export type DaemonBrokerClient = BrokerClient & {
  /** Connects, and keeps reconnecting until end(); Daemon.start() calls it once. */
  start(): void;
  /** The protocol in use, when the client knows it (health `mqtt.protocolVersion`). */
  readonly protocolVersion?: 4 | 5;
};

/** The bundle as the daemon runs it (see openModel): its manifest, the chosen variant's engine and rule. */
export interface DaemonModel {
  manifest: Manifest;
  variant: ModelVariant;
  /** `model.variant: auto` only: why `variant` (health/inference `variantReason`). */
  variantReason?: string;
  /** The inference port; the daemon closes it at the end of stop(). */
  engine: InferenceEngine;
  /** The bundle's detector rule with the config's overrides, calibrated for `variant`. */
  detector: DetectorConfig;
  /** How the bundle checked out at load (openModel always sets it; fakes may leave it out). */
  provenance?: BundleProvenance;
}

/** Signature state and self-test result of the running bundle: in status, health and the log. */
export interface BundleProvenance {
  /** Signed by one of model.trustedKeys. */
  signed: boolean;
  /** The signing key, when signed. */
  keyId?: string;
  /** The golden self-test on this engine, or `skipped` for a bundle without golden.json. */
  selfTest: { maxRelError: number; windows: number } | 'skipped';
}

/** One start of the daemon: in every status message and in the Last Will the client registers. */
export interface DaemonSession {
  /** UUIDv7. */
  id: string;
  startedAt: number;
}

/** Instrumentation (benchmarks, tests); the daemon works the same without it. */
export interface DaemonHooks {
  /** An entry's PUBACK removed it from the outbox. */
  onAcked?(entry: OutboxEntry, ackedAt: number): void;
}

export interface DaemonPorts {
  model: DaemonModel;
  source: SensorSource;
  client: DaemonBrokerClient;
  outbox: Outbox;
  clock: Clock;
  log: Log;
  /** The session the client's Last Will already names; a new one from the clock when absent. */
  session?: DaemonSession;
  hooks?: DaemonHooks;
}
