import type { Health, HealthFlag } from '../../shared/mqtt/contract.js';
import { isoTime } from '../../shared/mqtt/iso-time.js';

/** A module's counters and state for the `health` topic; plain JSON values only. */
export type HealthSection = Health['sections'][string];

export interface HealthSource {
  /** Key of the section in the report: `serial`, `decoder`, `pipeline`, `inference`, `outbox`, `mqtt`. */
  name: string;
  snapshot(): HealthSection;
}

export interface HealthReporterOptions {
  deviceId: string;
  startedAt: number;
  sources: HealthSource[];
  flags(sections: Record<string, HealthSection>): HealthFlag[];
  memory?: () => { rss: number; heapUsed: number };
}

/** Builds the periodic health report from every registered source. */
export class HealthReporter {
  constructor(private readonly options: HealthReporterOptions) {}

  /** The `health` payload of the MQTT contract at time `now`. */
  report(now: number): Health {
    const sections: Record<string, HealthSection> = {};
    for (const source of this.options.sources) {
      try {
        sections[source.name] = source.snapshot();
      } catch (err) {
        // One broken source must not silence the others.
        sections[source.name] = { error: (err as Error).message };
      }
    }
    const mem = (this.options.memory ?? process.memoryUsage)();
    return {
      deviceId: this.options.deviceId,
      at: isoTime(now),
      uptimeMs: now - this.options.startedAt,
      flags: this.options.flags(sections),
      sections,
      process: { rssBytes: mem.rss, heapUsedBytes: mem.heapUsed },
    };
  }
}
