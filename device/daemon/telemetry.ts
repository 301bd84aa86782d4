import type { Clock, TimerHandle } from '../../shared/clock.js';
import type { Log } from '../../shared/log.js';
import { healthTopic, scoreTopic } from '../../shared/mqtt/topics.js';
import type { HealthReporter } from '../health/health-report.js';
import type { BrokerClient } from '../publisher/broker-client.js';
import { scorePayload } from '../publisher/payloads.js';
import type { ScoreSummarizer } from '../publisher/score-summary.js';

export interface TelemetryCounters {
  scoreSummaries: number;
  healthReports: number;
  /** QoS 0 messages not sent because the broker was unreachable (not persisted by design). */
  dropped: number;
}

/** The QoS 0, not-persisted side: periodic score summaries and health reports. */
export class Telemetry {
  readonly counters: TelemetryCounters = { scoreSummaries: 0, healthReports: 0, dropped: 0 };
  private timers: TimerHandle[] = [];

  constructor(
    private readonly client: BrokerClient,
    private readonly summarizer: ScoreSummarizer,
    private readonly health: HealthReporter,
    private readonly topics: { prefix: string; deviceId: string },
    private readonly intervals: { scoreMs: number; healthMs: number },
    private readonly clock: Clock,
    private readonly log: Log,
  ) {}

  start(): void {
    const { clock, intervals } = this;
    this.timers.push(clock.setInterval(() => this.publishScores(), intervals.scoreMs));
    this.timers.push(clock.setInterval(() => this.publishHealth(), intervals.healthMs));
  }

  stop(): void {
    for (const t of this.timers) this.clock.clearTimer(t);
    this.timers = [];
  }

  publishScores(): void {
    const { prefix, deviceId } = this.topics;
    for (const summary of this.summarizer.flush()) {
      this.send(
        scoreTopic(prefix, deviceId, String(summary.sensorId)),
        scorePayload(summary),
        'scoreSummaries',
      );
    }
  }

  publishHealth(): void {
    const report = this.health.report(this.clock.now());
    this.log.debug({ event: 'health.report', health: report }, 'health');
    this.send(healthTopic(this.topics.prefix, this.topics.deviceId), JSON.stringify(report), 'healthReports');
  }

  private send(topic: string, payload: string, counter: 'scoreSummaries' | 'healthReports'): void {
    if (!this.client.connected) {
      this.counters.dropped += 1;
      return;
    }
    this.client.publish(topic, payload, { qos: 0 }).then(
      () => {
        this.counters[counter] += 1;
      },
      () => {
        this.counters.dropped += 1;
      },
    );
  }
}
