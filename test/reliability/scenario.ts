// The set-up every fault-injection test repeats: one trained bundle per file, a real mosquitto, the receiving
// ledger, a socat pty pair and a daemon config that points the daemon at both. Tests keep what differs (how the
// daemon is spawned, what is fed, which fault is injected) in their own file.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type ConfigOptions, tempDir, writeConfig } from '../e2e/daemon-harness.js';
import { makeBundle } from '../fixtures/make-bundle.js';
import { type Mosquitto, startMosquitto } from '../helpers/mosquitto.js';
import { createPtyPair, type PtyPair } from '../helpers/pty-pair.js';
import { ledgerSubscriber } from './alert-ledger.js';
import { FAST_DETECTOR } from './common.js';

/** Registers a bundle trained once for the file (beforeAll) and a temp root removed after it (afterAll). */
export function reliabilityFixture(): { readonly root: string; readonly bundle: string } {
  const tmp = tempDir();
  let bundle = '';
  beforeAll(async () => {
    bundle = (await makeBundle({ dir: join(tmp.dir, 'bundle') })).dir;
  }, 60_000);
  afterAll(() => tmp.remove());
  return {
    root: tmp.dir,
    get bundle() {
      return bundle;
    },
  };
}

export interface ScenarioOptions {
  /** Sub-folder of the root for the outbox and config; also names the ledger's MQTT client id. */
  name: string;
  /** Broker with on-disk persistence, so the ledger's session and queued QoS 1 messages survive a restart. */
  persistentBroker?: boolean;
  format?: ConfigOptions['format'];
  /** Config sections merged over the harness defaults; `detector` defaults to FAST_DETECTOR. */
  extra?: ConfigOptions['extra'];
}

export interface Scenario {
  /** The running broker (replaced by restartBroker). */
  broker: Mosquitto;
  sub: Awaited<ReturnType<typeof ledgerSubscriber>>;
  pair: PtyPair;
  /** The scenario's folder: config and outbox.db live here. */
  dir: string;
  /** Path of the daemon config written for this scenario. */
  config: string;
  /** Starts the broker again on the same port with the same config (after broker.stop()). */
  restartBroker(): Promise<Mosquitto>;
}

export async function startScenario(
  fixture: { root: string; bundle: string },
  o: ScenarioOptions,
): Promise<Scenario> {
  const dir = join(fixture.root, o.name);
  mkdirSync(dir);
  const brokerConfig: string[] = [];
  if (o.persistentBroker) {
    const dataDir = join(dir, 'mosquitto-data');
    mkdirSync(dataDir);
    brokerConfig.push('persistence true', `persistence_location ${dataDir}/`);
  }
  const broker = await startMosquitto({ config: brokerConfig });
  const sub = await ledgerSubscriber(broker.url, `thrum-reliability-${o.name}-${process.pid}`);
  const pair = await createPtyPair();
  const config = writeConfig({
    dir,
    bundle: fixture.bundle,
    serialPath: pair.b,
    brokerUrl: broker.url,
    format: o.format,
    extra: { detector: FAST_DETECTOR, ...o.extra },
  });
  const scenario: Scenario = {
    broker,
    sub,
    pair,
    dir,
    config,
    async restartBroker() {
      scenario.broker = await startMosquitto({ port: broker.port, config: brokerConfig });
      return scenario.broker;
    },
  };
  return scenario;
}
