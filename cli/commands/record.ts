import { type Command, Option } from 'commander';
import { startRecord, withPortList } from '../../tools/record/start-record.js';

export function register(program: Command): void {
  program
    .command('record')
    .description('capture samples from a serial port (or stdin) into a dataset file that thrum train reads')
    .option('--port <path>', 'serial device, e.g. /dev/ttyUSB0, or - to read stdin')
    .addOption(
      new Option('--format <format>', 'wire format of the sender').choices(['csv', 'frames']).default('csv'),
    )
    .option(
      '--seconds <time>',
      'record this much signal (seconds x sample rate samples), e.g. 60, 10m (default: until Ctrl-C or end of input)',
    )
    .option('--out <file>', 'the record file to write (CSV with a `# thrum record` line); - for stdout')
    .option('--channels <n>', 'values per sample (default: taken from the data)')
    .option(
      '--timestamps',
      'csv: each line starts with a µs timestamp (t_us,x,y,z), as thrum sim --timestamps writes',
    )
    .option(
      '--sample-rate <hz>',
      "the sender's samples per second per channel, written into the file",
      '3200',
    )
    .option('--baud <n>', 'serial baud rate', '921600')
    .option(
      '--names <list>',
      'channel names, comma-separated (default: x,y,z for 3 channels, else ch0,ch1,...)',
    )
    .option('--sensor-id <n>', 'record only this sensor (frames carry an id; default: the first one seen)')
    .option('--force', 'overwrite --out if it exists')
    .addHelpText(
      'after',
      `
The file is what \`thrum train\` reads:
  # thrum record sampleRate=3200 channels=3 names=x,y,z
  x,y,z
  0.0123,-0.0045,0.9981
Lines or frames that fail to decode are counted and skipped; lost frames (sequence gaps) are counted and
marked in the file with a '# gap: ...' line, never silently spliced. A live line shows the measured sample
rate, samples, bad records and gaps.

Examples:
  thrum record --port /dev/ttyUSB0 --format frames --seconds 10m --out healthy.csv
  thrum record --port /dev/ttyACM0 --baud 115200 --sample-rate 800 --seconds 60 --out pump.csv
  thrum sim --fast --seconds 60 --seed 1 | thrum record --port - --out sim-healthy.csv
  thrum train --data healthy.csv --out bundle`,
    )
    .action(async (opts) => {
      const stopped = new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      try {
        await startRecord(opts, { err: process.stderr, stopped });
      } catch (err) {
        throw await withPortList(err);
      }
    });
}
