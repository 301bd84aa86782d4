import { realpathSync } from 'node:fs';

/**
 * Whether a serial path is a pseudo-terminal (socat's virtual cable, `thrum sim --pty`): a pty has no UART, so
 * it carries any byte rate and its baud rate means nothing. Linux ptys are /dev/pts/N, macOS ones /dev/ttysNNN.
 * A path that does not resolve (a USB adapter not plugged in yet) counts as a real device.
 */
export function isPseudoTerminal(path: string): boolean {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return false;
  }
  return real.startsWith('/dev/pts/') || /^\/dev\/ttys\d+$/.test(real);
}
