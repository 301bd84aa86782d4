/**
 * Vibration severity zones of ISO 10816-3:2009, Annex A (to our knowledge unchanged in ISO 20816-3:2022):
 * broadband velocity RMS measured on the bearing housings of industrial machines above 15 kW, 120-15 000 rpm.
 *   A: newly commissioned machines;  B: acceptable for unrestricted long-term operation;
 *   C: unsatisfactory for long-term continuous operation (plan a repair);  D: severe enough to cause damage.
 * Zone boundaries, mm/s r.m.s. (Table A.1: group 1, large machines 300 kW-50 MW or electrical machines with
 * shaft height H ≥ 315 mm; Table A.2: group 2, medium machines 15-300 kW or 160 mm ≤ H < 315 mm):
 *                         A/B    B/C    C/D
 *   group 1, rigid        2.3    4.5    7.1
 *   group 1, flexible     3.5    7.1   11.0
 *   group 2, rigid        1.4    2.8    4.5
 *   group 2, flexible     2.3    4.5    7.1
 * "Rigid" means the machine-on-support system's lowest natural frequency in the measured direction is at least
 * 25 % above the main excitation (usually the running speed); otherwise "flexible". Transcribed from our reading
 * of the standard's tables; check against the purchased text before quoting a zone in a contract.
 */
export type MachineGroup = 1 | 2;
export type Foundation = 'rigid' | 'flexible';
export interface MachineClass {
  group: MachineGroup;
  foundation: Foundation;
}
export type IsoZone = 'A' | 'B' | 'C' | 'D';

/** [A/B, B/C, C/D] in mm/s, per group and foundation. */
export const ISO_10816_3_BOUNDARIES: Readonly<
  Record<`${MachineGroup}-${Foundation}`, readonly [number, number, number]>
> = {
  '1-rigid': [2.3, 4.5, 7.1],
  '1-flexible': [3.5, 7.1, 11.0],
  '2-rigid': [1.4, 2.8, 4.5],
  '2-flexible': [2.3, 4.5, 7.1],
};

/**
 * The zone of a velocity RMS (mm/s, over 10-1000 Hz, see isoVelocityRms). A value equal to a boundary counts in
 * the worse zone (the standard gives boundaries, not which side owns them; the cautious reading).
 */
export function isoZone(vRms: number, machineClass: MachineClass): IsoZone {
  if (!(vRms >= 0)) throw new RangeError(`isoZone: velocity ${vRms} mm/s must be a number >= 0`);
  const [ab, bc, cd] = ISO_10816_3_BOUNDARIES[`${machineClass.group}-${machineClass.foundation}`];
  if (vRms < ab) return 'A';
  if (vRms < bc) return 'B';
  if (vRms < cd) return 'C';
  return 'D';
}
