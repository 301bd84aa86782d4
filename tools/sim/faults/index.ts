import { type BearingGeometry, defectOrders } from '../../../shared/bearing.js';
import type { Prng } from '../prng.js';
import type { FaultKind } from '../schedule.js';
import type { FaultSignature } from '../shaft.js';
import { BearingDefect } from './bearing-defect.js';
import { Imbalance } from './imbalance.js';
import { LOOSENESS_PHASES, Looseness } from './looseness.js';
import { Misalignment } from './misalignment.js';

export interface FaultContext {
  bearing: BearingGeometry;
  resonanceHz: number;
  sampleRate: number;
}

/** Builds the signature of one fault kind; `random` is that fault's own stream. */
export function createFault(kind: FaultKind, random: Prng, ctx: FaultContext): FaultSignature {
  const angle = () => 2 * Math.PI * random.uniform();
  switch (kind) {
    case 'imbalance':
      return new Imbalance(angle());
    case 'misalignment':
      return new Misalignment([angle(), angle(), angle()]);
    case 'looseness':
      return new Looseness(Array.from({ length: LOOSENESS_PHASES }, angle));
    case 'bearing-outer':
    case 'bearing-inner': {
      const orders = defectOrders(ctx.bearing);
      const inner = kind === 'bearing-inner';
      return new BearingDefect(
        {
          order: inner ? orders.bpfi : orders.bpfo,
          modulatedByShaft: inner,
          resonanceHz: ctx.resonanceHz,
          sampleRate: ctx.sampleRate,
        },
        random,
        angle(),
      );
    }
  }
}
