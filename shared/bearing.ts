import { z } from 'zod';
import { ThrumError } from './errors.js';

/**
 * Rolling-element bearing geometry and its defect frequencies: shared by the simulator (tools/sim, which rings
 * impacts at them) and the `envelope` feature (which measures the envelope spectrum there). Kinematics, no slip:
 *   BPFO = n/2 · (1 − Bd/Pd · cos α) · f_shaft      outer race, defect fixed in the housing
 *   BPFI = n/2 · (1 + Bd/Pd · cos α) · f_shaft      inner race, defect turns with the shaft
 *   FTF  = 1/2 · (1 − Bd/Pd · cos α) · f_shaft      cage
 *   BSF  = Pd/(2·Bd) · (1 − (Bd/Pd · cos α)²) · f_shaft   ball spin
 */
export const bearingGeometrySchema = z
  .object({
    name: z.string(),
    /** Number of rolling elements. */
    balls: z.number().int().min(3),
    /** Ball diameter, mm. */
    ballDiameter: z.number().positive(),
    /** Pitch diameter, mm. */
    pitchDiameter: z.number().positive(),
    /** Contact angle, degrees. */
    contactAngle: z.number().min(0).lt(90),
  })
  .refine((g) => g.ballDiameter < g.pitchDiameter, 'ballDiameter must be below pitchDiameter');
export type BearingGeometry = z.infer<typeof bearingGeometrySchema>;

/** SKF 6205-2RS deep-groove ball bearing (the CWRU test rig's drive-end bearing): BPFO 3.585x, BPFI 5.415x. */
export const BEARING_6205: BearingGeometry = {
  name: '6205',
  balls: 9,
  ballDiameter: 7.94,
  pitchDiameter: 39.04,
  contactAngle: 0,
};

/** Defect frequencies as multiples of shaft speed. */
export interface DefectOrders {
  bpfo: number;
  bpfi: number;
  ftf: number;
  bsf: number;
}

export function defectOrders(g: BearingGeometry): DefectOrders {
  const ratio = (g.ballDiameter / g.pitchDiameter) * Math.cos((g.contactAngle * Math.PI) / 180);
  return {
    bpfo: (g.balls / 2) * (1 - ratio),
    bpfi: (g.balls / 2) * (1 + ratio),
    ftf: (1 - ratio) / 2,
    bsf: (g.pitchDiameter / (2 * g.ballDiameter)) * (1 - ratio * ratio),
  };
}

/** Parses `6205` or `n=9,bd=7.94,pd=39.04[,angle=0]` (diameters in mm, angle in degrees). */
export function parseBearing(text: string): BearingGeometry {
  const trimmed = text.trim();
  if (trimmed === '6205') return BEARING_6205;
  const fields = new Map<string, number>();
  for (const part of trimmed.split(',')) {
    const [key, value] = part.split('=').map((s) => s.trim());
    const num = Number(value);
    if (!key || value === undefined || value === '' || !Number.isFinite(num)) {
      throw badBearing(text, `'${part}' is not key=number`);
    }
    fields.set(key.toLowerCase(), num);
  }
  const unknown = [...fields.keys()].filter((k) => !['n', 'bd', 'pd', 'angle'].includes(k));
  if (unknown.length > 0) throw badBearing(text, `unknown key '${unknown[0]}'`);
  const balls = fields.get('n');
  const bd = fields.get('bd');
  const pd = fields.get('pd');
  const angle = fields.get('angle') ?? 0;
  if (balls === undefined || bd === undefined || pd === undefined) {
    throw badBearing(text, 'n, bd and pd are required');
  }
  if (!Number.isInteger(balls) || balls < 3) throw badBearing(text, 'n must be an integer >= 3');
  if (!(bd > 0 && pd > bd)) throw badBearing(text, 'need 0 < bd < pd');
  if (!(angle >= 0 && angle < 90)) throw badBearing(text, 'angle must be in [0, 90) degrees');
  return { name: 'custom', balls, ballDiameter: bd, pitchDiameter: pd, contactAngle: angle };
}

function badBearing(text: string, why: string): ThrumError {
  return new ThrumError(
    'BAD_USAGE',
    `--bearing '${text}': ${why}; use 6205 or n=9,bd=7.94,pd=39.04[,angle=0] (mm, degrees)`,
  );
}
