import { describe, expect, it } from 'vitest';
import { ThrumError } from '../../../../shared/errors.js';
import { requireSocat } from '../../../../tools/process/virtual-serial-port.js';

describe('requireSocat', () => {
  it('names the install command in one line when socat is missing (exit 2)', () => {
    let error: unknown;
    try {
      requireSocat(() => undefined);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ThrumError);
    expect((error as ThrumError).exitCode).toBe(2);
    expect((error as Error).message).toBe(
      '--pty needs socat (it makes the virtual serial cable), which is not installed: apt-get install socat',
    );
  });

  it('returns the executable it found', () => {
    expect(requireSocat((name) => `/opt/bin/${name}`)).toBe('/opt/bin/socat');
  });
});
