import { Command, CommanderError } from 'commander';
import { printable } from '../shared/printable.js';
import { register as registerBench } from './commands/bench.js';
import { register as registerEval } from './commands/eval.js';
import { register as registerRecord } from './commands/record.js';
import { register as registerRun } from './commands/run.js';
import { register as registerSim } from './commands/sim.js';
import { register as registerTrain } from './commands/train.js';
import { register as registerWatch } from './commands/watch.js';
import { UsageError } from './usage-error.js';

// `thrum ... | head` closes the pipe early; that is the reader's choice, not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const program = new Command('thrum')
  .description('Edge anomaly detection for machine vibration: sensor -> int8 autoencoder -> MQTT alerts')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride();

for (const register of [
  registerSim,
  registerRecord,
  registerTrain,
  registerEval,
  registerRun,
  registerWatch,
  registerBench,
]) {
  register(program);
}

program.addHelpText(
  'after',
  `
Example:
  npx thrum sim --seconds 10 --fault imbalance --at 5s > healthy.csv
  npx thrum <command> --help`,
);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version arrive here with exit code 0; usage mistakes carry commander's code, mapped to 2.
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else if (err instanceof UsageError || (err as { exitCode?: number }).exitCode === 2) {
    // One line whatever the message holds (an ONNX Runtime reason can span several).
    process.stderr.write(`thrum: ${oneLine((err as Error).message)}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`thrum: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 1;
  }
}

/** Line breaks become spaces; other characters a terminal would act on (escapes from a model file) are shown escaped. */
function oneLine(message: string): string {
  return printable(message.replace(/\s*[\r\n\u0085\u2028\u2029]+\s*/g, ' ').trim());
}
