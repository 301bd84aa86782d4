import type { Command } from 'commander';
import { registerNotBuilt } from '../not-built.js';

export function register(program: Command): void {
  registerNotBuilt(program, 'watch', 'subscribe to alert and status topics and print them, deduplicated');
}
