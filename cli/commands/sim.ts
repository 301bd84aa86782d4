import { type Command, Option } from 'commander';
import { FAULT_KINDS } from '../../tools/sim/schedule.js';
import { startSim } from '../../tools/sim/start-sim.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function register(program: Command): void {
  program
    .command('sim')
    .description(
      'synthesize a 3-axis vibration stream of a rotating machine (x, y radial, z axial, in g), healthy or with faults',
    )
    .option('--rpm <n>', 'shaft speed; drifts a little with load', '1780')
    .option('--sample-rate <hz>', 'samples per second per axis (ADXL345: 3200)', '3200')
    .addOption(
      new Option('--mains <hz>', 'line frequency: pickup at 1x and magnetic vibration at 2x')
        .choices(['50', '60'])
        .default('50'),
    )
    .option(
      '--seed <n>',
      'seed of the random parts; same seed, same options -> byte-identical output (default: random, printed)',
    )
    .option(
      '--seconds <time>',
      'how much signal to produce, e.g. 90, 10m, 1h (default: forever; required with --fast)',
    )
    .option('--fast', 'write as fast as the output takes it instead of at the real rate')
    .option('--fault <kind>', `add a fault (repeatable): ${FAULT_KINDS.join(', ')}`, collect)
    .option(
      '--at <time>',
      'when the fault starts, e.g. 30s (repeatable: the n-th --at goes with the n-th --fault)',
      collect,
    )
    .option('--severity <0..1>', 'how bad the fault is, 0..1 (default 0.5; repeatable like --at)', collect)
    .option(
      '--duration <time>',
      'how long the fault lasts (default: to the end; repeatable like --at)',
      collect,
    )
    .option(
      '--schedule <list>',
      'faults as one list: <fault>@<time>[+<duration>][:<severity>] and clear@<time>, comma-separated',
    )
    .addOption(new Option('--format <format>', 'wire format').choices(['csv', 'frames']).default('csv'))
    .option('--out <file>', 'write to a file instead of stdout')
    .option('--port <path>', 'write to a serial port (e.g. /dev/ttyUSB0 or one end of a socat pty pair)')
    .option(
      '--pty [path]',
      'make a virtual serial cable (socat) and write into it; the daemon reads PATH (default /tmp/thrum-sim-pty), removed on exit',
    )
    .option('--baud <n>', 'serial baud rate', '921600')
    .option('--timestamps', 'csv: start each line with a µs timestamp (from the sample index)')
    .option('--sensor-id <n>', 'frames: sensor id in each frame header, 0..255', '1')
    .option('--frame-samples <n>', 'frames: samples per channel in each frame', '32')
    .addOption(
      new Option('--sample-format <format>', 'frames: sample encoding')
        .choices(['int16', 'float32'])
        .default('int16'),
    )
    .option(
      '--scale <g>',
      'frames int16: g per count, e.g. 0.0039 like an ADXL345 (default: each frame peak / 32767)',
    )
    .option(
      '--bearing <geometry>',
      'bearing for the defect frequencies: 6205 or n=9,bd=7.94,pd=39.04[,angle=0] (mm, deg)',
      '6205',
    )
    .option(
      '--resonance <hz>',
      'housing resonance rung by bearing impacts (default 1200, or 0.375 x sample rate if lower)',
    )
    .option('--no-gravity', 'leave out the 1 g on y (a sensor mounted on top of the housing reads it)')
    .option(
      '--labels <file>',
      'also write the ground truth: one 0/1 per sample row (1 while a fault is on), for thrum eval --label-file',
    )
    .option('--quiet', 'no summary on stderr')
    .addHelpText(
      'after',
      `
Signal: 1x/2x/3x shaft harmonics (elliptical radial orbit, little axial), broadband sensor noise, a mild frame
resonance, mains pickup (line frequency) and motor magnetic vibration (2x line), load and speed drifting
slowly (bounded). Faults add their textbook signatures, scaled by severity:
  imbalance      1x grows on the radial axes (x, y)
  misalignment   2x grows (with 1x, 3x), strongest on the axial axis (z)
  looseness      a series of harmonics 1x..10x plus half-orders 0.5x, 1.5x, ... (mostly y)
  bearing-outer  impacts at BPFO (6205: 3.585x) ringing the housing resonance
  bearing-inner  impacts at BPFI (6205: 5.415x), amplitude-modulated at 1x by the load zone
Times: 30s, 1.5s, 500ms, 2m, 1m30s, 1h or plain seconds.

Examples:
  thrum sim --seconds 10 > healthy.csv                         10 s at the real rate, to a file via stdout
  thrum sim --fast --seconds 600 --seed 7 --out train.csv      10 min of healthy data, as fast as possible
  thrum sim --fault imbalance --at 30s --severity 0.8          healthy for 30 s, then imbalance, forever
  thrum sim --fast --seconds 120 --schedule "misalignment@20s+30s:0.6,bearing-outer@1m"
  thrum sim --fault looseness --at 10s --fault bearing-inner --at 40s --duration 20s
  thrum sim --port /dev/ttyUSB0 --format frames --baud 921600   feed a device daemon over serial
  thrum sim --pty --fault imbalance --at 60s                   a virtual serial port for thrum run (serial.path: /tmp/thrum-sim-pty)
  thrum sim --fast --seconds 2 | thrum record --port - --seconds 2 --out sample.csv`,
    )
    .action(async (opts) => {
      await startSim(opts, (line) => process.stderr.write(`${line}\n`));
    });
}
