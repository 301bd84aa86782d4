import { describe, expect, it } from 'vitest';
import { clockScheduler } from '../../../../device/daemon/clock-scheduler.js';
import { FakeClock } from '../../../helpers/fake-clock.js';

describe('clockScheduler', () => {
  it('tells the clock’s time and runs work when the clock passes its delay', async () => {
    const clock = new FakeClock();
    const scheduler = clockScheduler(clock);
    expect(scheduler.now()).toBe(clock.now());
    const ran: number[] = [];
    scheduler.schedule((n) => ran.push(n!), 100, 7);
    await clock.advance(99);
    expect(ran).toEqual([]);
    await clock.advance(1);
    expect(ran).toEqual([7]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('reschedules from inside the work, and an unsubscribe cancels it', async () => {
    const clock = new FakeClock();
    const at: number[] = [];
    const start = clock.now();
    const sub = clockScheduler(clock).schedule(function (this: {
      schedule(s?: number, d?: number): unknown;
    }) {
      at.push(clock.now() - start);
      this.schedule(undefined, 50);
    }, 10);
    await clock.advance(200);
    expect(at).toEqual([10, 60, 110, 160]);
    sub.unsubscribe();
    await clock.advance(200);
    expect(at).toHaveLength(4);
    expect(clock.pendingTimers).toBe(0);
  });
});
