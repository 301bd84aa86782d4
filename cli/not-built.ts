import type { Command } from 'commander';
import { UsageError } from './usage-error.js';

/** Registers a command that exists in the design but has not landed yet. */
export function registerNotBuilt(program: Command, name: string, summary: string): void {
  program
    .command(name)
    .description(`${summary} (not built yet)`)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      throw new UsageError(`'${name}' is not built yet; see README.md for what works today`);
    });
}
