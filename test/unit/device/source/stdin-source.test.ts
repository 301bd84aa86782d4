import { PassThrough } from 'node:stream';
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createStdinSource } from '../../../../device/source/stdin-source.js';

describe('createStdinSource', () => {
  it('emits what is piped in and completes at end of input', async () => {
    const stdin = new PassThrough();
    const source = createStdinSource({ stdin });
    const all = lastValueFrom(source.chunks$.pipe(toArray()));
    stdin.write('1,2,3\n');
    stdin.end('4,5,6\n');
    const text = Buffer.concat(await all).toString();
    expect(text).toBe('1,2,3\n4,5,6\n');
    expect(source.counters.bytes).toBe(12);
  });

  it('does not destroy the stream on unsubscribe (stdin belongs to the process)', () => {
    const stdin = new PassThrough();
    const source = createStdinSource({ stdin });
    source.chunks$.subscribe().unsubscribe();
    expect(stdin.destroyed).toBe(false);
    expect(stdin.listenerCount('data')).toBe(0);
  });
});
