// Entry point of the device package (`thrum pack`): only what runs on a Raspberry Pi or Jetson. Training,
// evaluation and the benchmarks stay on the desktop (they need TensorFlow.js, which has no linux-arm64 build).
import type { Command } from 'commander';
import { ThrumError } from '../shared/errors.js';
import { register as registerRecord } from './commands/record.js';
import { register as registerRun } from './commands/run.js';
import { register as registerScoreDump } from './commands/score-dump.js';
import { register as registerSelfTest } from './commands/self-test.js';
import { register as registerSim } from './commands/sim.js';
import { register as registerWatch } from './commands/watch.js';
import { buildProgram, runProgram } from './program.js';

const DESKTOP_ONLY: Record<string, string> = {
  train: 'training runs on the desktop',
  eval: 'evaluation runs on the desktop',
  bench: 'the benchmarks run on the desktop',
  pack: 'packing runs on the desktop',
  deploy: 'deploying runs on the desktop',
};

function registerDesktopOnly(program: Command): void {
  for (const [name, what] of Object.entries(DESKTOP_ONLY)) {
    program
      .command(name, { hidden: true })
      .allowUnknownOption()
      .allowExcessArguments()
      .helpOption(false)
      .action(() => {
        throw new ThrumError(
          'BAD_USAGE',
          `${what} (npm install thrum in a clone there); this device package runs bundles: thrum run, sim, record, watch`,
        );
      });
  }
}

// better-sqlite3 in this package is compiled for Node 20's ABI; another Node fails later with a cryptic error.
if (process.versions.node.split('.')[0] !== '20') {
  process.stderr.write(
    `thrum: this device package needs Node.js 20 (this is ${process.version}); deploy one built with thrum pack --with-node\n`,
  );
  process.exit(2);
}

const program = buildProgram(
  [
    registerSim,
    registerRecord,
    registerRun,
    registerWatch,
    registerScoreDump,
    registerSelfTest,
    registerDesktopOnly,
  ],
  `  thrum run --config /etc/thrum/thrum.yaml --check-config
  thrum <command> --help`,
);
await runProgram(program);
