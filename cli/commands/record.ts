import type { Command } from 'commander';
import { registerNotBuilt } from '../not-built.js';

export function register(program: Command): void {
  registerNotBuilt(program, 'record', 'capture samples from a serial port into a dataset file');
}
