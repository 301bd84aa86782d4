import { createRequire } from 'node:module';
import type { Command } from 'commander';
import { openEngine } from '../../runtime/engines/open-engine.js';
import { silentLog } from '../../shared/log.js';

/**
 * Loads every native part of the device package on this board: SQLite (better-sqlite3, compiled per
 * target: its glibc floor is the package's), the serial port binding, and the inference engine `auto` picks.
 * install.sh --check runs it before `thrum run --check-config`, so a board whose glibc is too old refuses the
 * upgrade instead of failing when the daemon opens its outbox.
 */
export async function selfTest(): Promise<string[]> {
  const require = createRequire(import.meta.url);
  const lines: string[] = [`node ${process.version} on ${process.platform}/${process.arch}`];
  const part = async (name: string, fn: () => Promise<string>) => {
    try {
      lines.push(`${name.padEnd(8)} ${await fn()}`);
    } catch (error) {
      const message = (error as Error).message.split('\n')[0];
      const hint = /GLIBC_[\d.]+' not found/.test(message)
        ? ' (this system\'s C library is too old for the package: see "Deploy to a Raspberry Pi or Jetson" in the README)'
        : '';
      throw Object.assign(new Error(`self-test: ${name} does not load here: ${message}${hint}`), {
        exitCode: 2,
      });
    }
  };
  await part('sqlite', async () => {
    // require(), not import(): a native package that throws while an ES module imports it kills Node 20.
    const Database = require('better-sqlite3') as typeof import('better-sqlite3');
    const db = new Database(':memory:');
    const { v } = db.prepare('select sqlite_version() as v').get() as { v: string };
    db.close();
    return `SQLite ${v} (better-sqlite3)`;
  });
  await part('serial', async () => {
    // Loading the package loads its prebuilt binary for this platform.
    require('@serialport/bindings-cpp');
    return 'serialport binding loaded';
  });
  await part('engine', async () => {
    const bundle = {
      manifest: { model: { inputName: 'x', outputName: 'y', inputSize: 1 } },
      modelPath: () => '',
    };
    const choice = await openEngine('auto', bundle as never, silentLog);
    return `${choice.engine} (${choice.reason})`;
  });
  return lines;
}

export function register(program: Command): void {
  program
    .command('self-test')
    .description("load this package's native parts (SQLite, serial, inference engine) on this board")
    .action(async () => {
      process.stdout.write(`${(await selfTest()).join('\n')}\n`);
    });
}
