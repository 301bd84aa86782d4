import { describe, expect, it } from 'vitest';
import { createProgress } from '../../../trainer/progress.js';

const log = (epoch: number, epochs = 100) => ({ epoch, epochs, loss: 0.5, valLoss: 0.25, best: epoch === 2 });

describe('createProgress', () => {
  it('redraws one line with epoch, losses and ETA on a TTY', () => {
    let out = '';
    let now = 0;
    const p = createProgress(
      (t) => (out += t),
      true,
      () => now,
    );
    p.epoch(log(1));
    now = 1000;
    p.epoch(log(2));
    p.line('done');
    expect(out).toMatch(/\r\[#?\.+\] epoch +1\/100 loss 0\.50000 val 0\.25000/);
    expect(out).toMatch(/epoch +2\/100 .* \* ETA 49s/);
    expect(out.endsWith('\ndone\n')).toBe(true);
  });

  it('prints plain lines, about 20 per run, when not a TTY', () => {
    const lines: string[] = [];
    const p = createProgress(
      (t) => lines.push(t),
      false,
      () => 0,
    );
    for (let e = 1; e <= 100; e++) p.epoch(log(e));
    expect(lines.length).toBe(21);
    expect(lines.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);
  });

  it('ends the bar full and says it stopped early, with no ETA left on screen', () => {
    let out = '';
    let now = 0;
    const p = createProgress(
      (t) => (out += t),
      true,
      () => now,
    );
    for (let e = 1; e <= 27; e++) {
      now = e * 100;
      p.epoch(log(e));
    }
    p.end();
    const finalLine = out.split('\r').at(-1)!;
    expect(finalLine).toMatch(/^\[#{24}\] stopped early at epoch 27\/100 \(best 2, val 0\.25000\) in 2\.6s/);
    expect(finalLine).not.toMatch(/ETA/);
    expect(out.endsWith('\n')).toBe(true);
  });

  it('says "done" when every epoch ran', () => {
    const lines: string[] = [];
    const p = createProgress(
      (t) => lines.push(t),
      false,
      () => 0,
    );
    for (let e = 1; e <= 5; e++) p.epoch(log(e, 5));
    p.end();
    expect(lines.at(-1)).toMatch(/^done: 5 epochs \(best 2\)/);
  });
});
