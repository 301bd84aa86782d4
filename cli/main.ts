import { Command, CommanderError } from 'commander';
import { ThrumError } from '../shared/errors.js';
import { register as registerBench } from './commands/bench.js';
import { register as registerCollect } from './commands/collect.js';
import { register as registerEval } from './commands/eval.js';
import { register as registerKeys } from './commands/keys.js';
import { register as registerRecord } from './commands/record.js';
import { register as registerRun } from './commands/run.js';
import { register as registerSign } from './commands/sign.js';
import { register as registerSim } from './commands/sim.js';
import { register as registerTrain } from './commands/train.js';
import { register as registerWatch } from './commands/watch.js';

// `thrum ... | head` closes the pipe early; that is the reader's choice, not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const program = new Command('thrum')
  .description('Edge anomaly detection for machine vibration: sensor -> int8 autoencoder -> MQTT alerts')
  .version('0.1.0')
  // The error stays on screen: one line, then where the full help is (not 80 lines of it).
  .showHelpAfterError('(add --help for usage and examples)')
  .exitOverride();

for (const register of [
  registerSim,
  registerRecord,
  registerTrain,
  registerKeys,
  registerSign,
  registerEval,
  registerRun,
  registerWatch,
  registerCollect,
  registerBench,
]) {
  register(program);
}

// Defaults read the same in every command: `(default: 1780)`, not `(default: "1780")` for flags parsed later.
for (const command of [...program.commands, ...program.commands.flatMap((c) => c.commands)]) {
  for (const option of command.options) {
    const value = option.defaultValue as unknown;
    if (option.defaultValueDescription !== undefined) continue;
    if (typeof value === 'string') option.defaultValueDescription = value;
    else if (Array.isArray(value)) option.defaultValueDescription = value.join(',');
  }
}

program.addHelpText(
  'after',
  `
Example:
  npx thrum sim --seconds 10 --fault imbalance --at 5s > imbalance.csv
  npx thrum <command> --help`,
);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version arrive here with exit code 0; usage mistakes carry commander's code, mapped to 2.
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else if (err instanceof ThrumError && err.exitCode === 2) {
    // Bad input (config, bundle, data, usage): the message says what to fix; a stack would only hide it.
    process.stderr.write(`thrum: ${err.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`thrum: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 1;
  }
}
