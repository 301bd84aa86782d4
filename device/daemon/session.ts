import type { ModelVariant } from '../../shared/bundle/manifest.js';
import type { Clock } from '../../shared/clock.js';
import { isoTime } from '../../shared/mqtt/iso-time.js';
import { uuidv7 } from '../../shared/mqtt/uuidv7.js';
import type { Config } from '../config/load-config.js';
import type { StatusBase } from '../publisher/status-publisher.js';
import type { BundleProvenance, DaemonSession } from './ports.js';

export function newSession(clock: Clock): DaemonSession {
  const startedAt = clock.now();
  return { id: uuidv7(startedAt), startedAt };
}

/** What the status topic says besides `state`; also the Last Will's payload, so both name the same session. */
export function statusBase(
  config: Config,
  bundleId: string,
  session: DaemonSession,
  provenance?: BundleProvenance,
  variant?: ModelVariant,
): StatusBase {
  return {
    deviceId: config.device.id,
    bundleId,
    startedAt: isoTime(session.startedAt),
    session: session.id,
    ...(provenance ? bundleStatus(provenance) : {}),
    ...(variant ? { variant } : {}),
  };
}

/** The bundle's signature state and self-test, as the status topic reports them. */
function bundleStatus(p: BundleProvenance): Pick<StatusBase, 'signed' | 'keyId' | 'selfTest'> {
  return { signed: p.signed, ...(p.keyId ? { keyId: p.keyId } : {}), selfTest: p.selfTest };
}
