import { Command, CommanderError } from 'commander';
import { ThrumError } from '../shared/errors.js';
import { printable } from '../shared/printable.js';

export type Register = (program: Command) => void;

/**
 * The `thrum` program with the given commands: one-line usage errors (exit 2), defaults printed the same in
 * every command. Shared by the desktop CLI (cli/main.ts) and the device package's entry (cli/device-main.ts).
 */
export function buildProgram(registers: readonly Register[], example: string): Command {
  const program = new Command('thrum')
    .description('Edge anomaly detection for machine vibration: sensor -> int8 autoencoder -> MQTT alerts')
    .version(THRUM_VERSION)
    // The error stays on screen: one line, then where the full help is (not 80 lines of it).
    .showHelpAfterError('(add --help for usage and examples)')
    .exitOverride();
  for (const register of registers) register(program);

  // Defaults read the same in every command: `(default: 1780)`, not `(default: "1780")` for flags parsed later.
  for (const command of [...program.commands, ...program.commands.flatMap((c) => c.commands)]) {
    for (const option of command.options) {
      const value = option.defaultValue as unknown;
      if (option.defaultValueDescription !== undefined) continue;
      if (typeof value === 'string') option.defaultValueDescription = value;
      else if (Array.isArray(value)) option.defaultValueDescription = value.join(',');
    }
  }
  program.addHelpText('after', `\nExample:\n${example}`);
  return program;
}

/** Version of the CLI; the device package's bundle replaces it with the packed version. */
export const THRUM_VERSION: string =
  (globalThis as { __THRUM_VERSION__?: string }).__THRUM_VERSION__ ?? '0.1.0';

/** Parses argv and maps failures to exit codes: 0 help/version, 2 bad usage or input (one line), 1 crash. */
export async function runProgram(program: Command, argv: readonly string[] = process.argv): Promise<void> {
  // `thrum ... | head` closes the pipe early; that is the reader's choice, not an error worth a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  try {
    await program.parseAsync(argv as string[]);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version arrive here with exit code 0; usage mistakes carry commander's code, mapped to 2.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
    } else if (err instanceof ThrumError && err.exitCode === 2) {
      // Bad input (config, bundle, data, usage): the message says what to fix; a stack would only hide it.
      // One line whatever the message holds (an ONNX Runtime reason can span several).
      process.stderr.write(`thrum: ${oneLine(err.message)}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`thrum: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = 1;
    }
  }
}

/** Line breaks become spaces; other characters a terminal would act on (escapes from a model file) are shown escaped. */
function oneLine(message: string): string {
  return printable(message.replace(/\s*[\r\n\u0085\u2028\u2029]+\s*/g, ' ').trim());
}
