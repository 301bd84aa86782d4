import type { Command } from 'commander';
import { registerNotBuilt } from '../not-built.js';

export function register(program: Command): void {
  registerNotBuilt(program, 'sim', 'synthesize a 3-axis vibration stream of a rotating machine, healthy or with faults');
}
