import { afterEach, describe, expect, it } from 'vitest';
import { listSerialPorts } from '../../../../device/adapters/serialport-source.js';

describe('listSerialPorts', () => {
  const path = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path;
  });

  it('lists ports without udevadm on PATH instead of failing', async () => {
    process.env.PATH = '/nonexistent';
    const ports = await listSerialPorts();
    expect(Array.isArray(ports)).toBe(true);
    for (const p of ports) expect(p.path).toMatch(/^\/dev\//);
  });
});
