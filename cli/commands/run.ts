import type { Command } from 'commander';
import { registerNotBuilt } from '../not-built.js';

export function register(program: Command): void {
  registerNotBuilt(program, 'run', 'the device daemon: serial -> int8 scoring -> alerts -> SQLite outbox -> MQTT');
}
