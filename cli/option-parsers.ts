import { InvalidArgumentError } from 'commander';

/** Commander argument parser for a finite number; commander prints the flag with the message. */
export const number = (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number.');
  return n;
};

/** Commander argument parser for a comma-separated list; blanks are dropped. */
export const list = (value: string): string[] =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);

/** Commander argument parser for a number > 0; `flag` names the option in the message. */
export const positive =
  (flag: string) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${flag} must be a positive number`);
    return n;
  };
