import { basename } from 'node:path';
import { ThrumError } from '../../shared/errors.js';
import { checkLine, type LineCheck } from './line-capacity.js';
import type { Config } from './load-config.js';
import { isPseudoTerminal } from './pty-path.js';

/**
 * The line-capacity check of `thrum run` and `--check-config` for this config: undefined where it does not apply
 * (a file or stdin has no line; a pty, e.g. `thrum sim --pty`, ignores the baud rate). Throws BAD_CONFIG
 * (exit 2) when the stream clearly does not fit; returns the check otherwise, so a caller can warn.
 */
export function checkSerialLine(config: Config): LineCheck | undefined {
  const { serial } = config;
  if (serial.source !== 'serial' || serial.path === undefined || isPseudoTerminal(serial.path))
    return undefined;
  const check = checkLine(serial);
  if (check.verdict === 'over') {
    throw new ThrumError(
      'BAD_CONFIG',
      `${basename(config.file)}: serial.baudRate: ${check.message}; see docs/config.md`,
    );
  }
  return check;
}
