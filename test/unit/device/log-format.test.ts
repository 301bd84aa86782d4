import { describe, expect, it } from 'vitest';
import { humanLine } from '../../../device/log-format.js';
import { resolveLogFormat } from '../../../device/logger.js';

describe('readable daemon logs', () => {
  it('auto: pretty on a terminal, JSON for services and pipes; an explicit choice wins', () => {
    expect(resolveLogFormat('auto', true)).toBe('pretty');
    expect(resolveLogFormat('auto', false)).toBe('json');
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('pretty', false)).toBe('pretty');
  });

  it('one line per record: event, message, then the fields as key=value', () => {
    expect(
      humanLine({
        level: 30,
        time: 't',
        pid: 1,
        deviceId: 'pump-7',
        event: 'alert.committed',
        msg: 'alert raised',
        seq: 1,
        kind: 'raised',
        score: 40.15,
        path: '/dev/tty USB0',
        counters: { bytes: 1, chunks: 2 },
      }),
    ).toBe(
      'alert.committed  alert raised  seq=1 kind=raised score=40.15 path="/dev/tty USB0" counters={"bytes":1,"chunks":2}',
    );
    const long = humanLine({ event: 'x.y', msg: 'm', rule: { text: 'a'.repeat(200) } });
    expect(long).not.toContain('\n');
    expect(long.length).toBeLessThan(80);
  });

  it('leaves out the fields of a message that already says it all (daemon.status)', () => {
    expect(humanLine({ event: 'daemon.status', msg: 'scoring 6.2 windows/s', raised: 1 })).toBe(
      'daemon.status  scoring 6.2 windows/s',
    );
  });
});
