import { ThrumError } from '../errors.js';

/** Channel counts both formats accept: `frames` carries the count in one byte. */
export const MAX_CHANNELS = 255;

/** Decoder options are configuration: a wrong one is a usage error naming the option, thrown at construction. */
export function checkOption(name: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || (Number.isInteger(value) && value >= min && value <= max)) return;
  throw new ThrumError(
    'BAD_USAGE',
    `decoder option ${name} must be an integer in ${min}..${max}, got ${value}`,
  );
}
