import type { PipelineCounters } from '../../runtime/alert-pipeline.js';
import type { ModelVariant } from '../../shared/bundle/manifest.js';
import { HEALTH_FLAGS, type HealthFlag } from '../../shared/mqtt/health.js';
import { HealthReporter, type HealthSection, type HealthSource } from '../health/health-report.js';
import type { SampleRateMonitor } from '../health/sample-rate-monitor.js';
import type { Outbox } from '../outbox/outbox.js';
import type { AlertPublisher } from '../publisher/alert-publisher.js';
import type { SensorSource, SourceStatus } from '../source/sensor-source.js';
import type { AlertSink } from './alert-sink.js';
import type { BundleProvenance, DaemonBrokerClient } from './ports.js';
import type { TelemetryCounters } from './telemetry.js';

export interface HealthParts {
  deviceId: string;
  startedAt: number;
  source: SensorSource;
  /** The source's latest status (undefined before the daemon started watching it). */
  sourceStatus(): SourceStatus | undefined;
  counters: PipelineCounters;
  variant: ModelVariant;
  /** Why `variant` (auto), or absent when the config named it. */
  variantReason?: string;
  /** The running bundle's signature state and self-test (absent for a daemon built from fakes). */
  provenance?: BundleProvenance;
  sink: AlertSink;
  outbox: Outbox;
  client: DaemonBrokerClient;
  publisher: AlertPublisher;
  telemetry(): TelemetryCounters;
  /** The received sample rate, for real-time sources (undefined: not judged, no `rate` section). */
  rates?: SampleRateMonitor;
  now(): number;
}

/** The `health` report of a daemon: one section per part, read when the report is made. */
export function daemonHealth(p: HealthParts): HealthReporter {
  return new HealthReporter({
    deviceId: p.deviceId,
    startedAt: p.startedAt,
    sources: [
      { name: 'serial', snapshot: () => serialSection(p.source, p.sourceStatus()) },
      { name: 'frames', snapshot: () => ({ ...p.counters.frames }) },
      { name: 'windows', snapshot: () => ({ ...p.counters.windows }) },
      {
        name: 'inference',
        snapshot: () => ({
          ...p.counters.inference,
          variant: p.variant,
          variantReason: p.variantReason ?? 'configured',
        }),
      },
      ...bundleSection(p.provenance),
      { name: 'alerts', snapshot: () => ({ ...p.sink.counters }) },
      { name: 'outbox', snapshot: () => ({ ...p.outbox.status() }) },
      ...(p.rates ? [{ name: 'rate', snapshot: () => p.rates!.section(p.now()) }] : []),
      {
        name: 'mqtt',
        snapshot: () => ({
          connected: p.client.connected,
          ...(p.client.protocolVersion ? { protocolVersion: p.client.protocolVersion } : {}),
          ...p.publisher.counters,
          paused: p.publisher.paused,
          ...p.telemetry(),
        }),
      },
    ],
    flags: healthFlags,
  });
}

/** The running bundle's signature state and self-test; none for a daemon built from fakes. */
function bundleSection(provenance: BundleProvenance | undefined): HealthSource[] {
  return provenance ? [{ name: 'bundle', snapshot: () => ({ ...provenance }) }] : [];
}

function serialSection(source: SensorSource, status: SourceStatus | undefined): HealthSection {
  return {
    name: source.name,
    state: status?.state ?? 'idle',
    ...(status?.reason ? { reason: status.reason } : {}),
    ...source.counters,
  };
}

/** The report's flags, each from its section. */
export function healthFlags(sections: Record<string, HealthSection>): HealthFlag[] {
  const on: Record<HealthFlag, boolean> = {
    brokerDisconnected: sections.mqtt?.connected === false,
    serialSilent: ['silent', 'reconnecting', 'waiting'].includes(String(sections.serial?.state)),
    outboxDiskFull: sections.outbox?.diskFull === true,
    outboxQuarantined: sections.outbox?.quarantinedTo !== undefined,
    publishRejected: sections.mqtt?.paused === true,
    outboxWriteFailed: sections.outbox?.writeFailed === true,
    bundleUnsigned: sections.bundle?.signed === false,
    sampleRateMismatch: sections.rate?.mismatch === true,
  };
  return HEALTH_FLAGS.filter((f) => on[f]);
}
