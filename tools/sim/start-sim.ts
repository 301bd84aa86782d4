import { randomInt } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { defectOrders } from '../../shared/bearing.js';
import { ThrumError } from '../../shared/errors.js';
import { formatRecordHeader } from '../../shared/record-format.js';
import { openVirtualSerialPort } from '../process/virtual-serial-port.js';
import { type ByteSink, openSink, type SinkTarget } from './byte-sink.js';
import { formatDuration } from './duration.js';
import { faultLabels } from './fault-labels.js';
import { runSim, type SimResult } from './run-sim.js';
import { createSampleEncoder, type SampleEncoder } from './sample-encoder.js';
import { describeSchedule } from './schedule.js';
import { faultsAfterEnd, parseSimOptions, type RawSimOptions, type SimSettings } from './sim-options.js';
import { SIM_CHANNEL_NAMES, SIM_CHANNELS, VibrationSim } from './vibration-sim.js';

/** `thrum sim`: validates options, opens the output, streams until the end, a signal or the reader leaves. */
export async function startSim(raw: RawSimOptions, log: (line: string) => void): Promise<SimResult> {
  const settings = parseSimOptions(raw, () => randomInt(0, 2 ** 31));
  const simOptions = {
    sampleRate: settings.sampleRate,
    rpm: settings.rpm,
    mains: settings.mains,
    seed: settings.seed,
    faults: settings.faults,
    bearing: settings.bearing,
    resonanceHz: settings.resonanceHz,
    gravity: settings.gravity,
  };
  const sim = new VibrationSim(simOptions);
  const makeEncoder = () =>
    createSampleEncoder({
      format: settings.format,
      channels: SIM_CHANNELS,
      sampleRate: settings.sampleRate,
      timestamps: settings.timestamps,
      sensorId: settings.sensorId,
      frameSamples: settings.frameSamples,
      sampleFormat: settings.sampleFormat,
      scale: settings.sampleFormat === 'int16' ? settings.scale : undefined,
    });
  const encoder = makeEncoder();
  if (!settings.quiet) {
    for (const line of summary(settings, sim)) log(line);
    for (const warning of faultsAfterEnd(settings)) log(`warning: ${warning}`);
    if (settings.target.kind === 'serial') {
      const needed = bytesPerSecond(new VibrationSim(simOptions), makeEncoder(), settings.sampleRate);
      const capacity = settings.target.baud / 10;
      if (needed > capacity && !settings.fast) {
        log(
          `warning: the stream needs about ${Math.round(needed)} B/s but ${settings.target.baud} baud carries ` +
            `${Math.round(capacity)} B/s (8N1): a real UART will fall behind; raise --baud, use --format frames ` +
            'or lower --sample-rate (a pty ignores baud)',
        );
      }
    }
  }

  // --pty: make the virtual serial cable first; from here on it is a serial port like any other.
  const pty = settings.target.kind === 'pty' ? await openVirtualSerialPort(settings.target.path) : undefined;
  const removePty = () => pty?.closeSync();
  if (pty) {
    process.once('exit', removePty);
    log(
      `thrum sim: virtual serial port ready: set serial.path: ${pty.devicePath} (source: serial) in thrum.yaml; removed when thrum sim exits`,
    );
  }
  const target: SinkTarget =
    settings.target.kind === 'pty'
      ? { kind: 'serial', path: pty!.sensorPath, baud: PTY_BAUD }
      : settings.target;
  // At the real rate a serial port is lossy like a UART: with nobody reading, blocks are dropped (and counted).
  const lossy = target.kind === 'serial' && !settings.fast;
  let sink: ByteSink;
  try {
    sink = await openSink(target, lossy ? { dropWhenQueued: 64 * 1024 } : {});
  } catch (err) {
    await pty?.close();
    throw err;
  }
  const abort = new AbortController();
  // First Ctrl-C: finish the block and close cleanly. A second one: leave now (e.g. stuck on a full pty).
  const stop = () => {
    if (abort.signal.aborted) process.exit(130);
    abort.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const labels = settings.labels === undefined ? undefined : openLabels(settings);
  try {
    const result = await runSim({
      preamble: recordHeader(settings),
      onRows: labels?.write,
      sim,
      encoder,
      sink,
      sampleRate: settings.sampleRate,
      seconds: settings.seconds,
      fast: settings.fast,
      signal: abort.signal,
    });
    if (!settings.quiet) {
      const seconds = result.samples / settings.sampleRate;
      const why =
        result.stoppedBy === 'end' ? '' : result.stoppedBy === 'signal' ? ' (stopped)' : ' (reader closed)';
      log(
        `thrum sim: wrote ${result.samples} samples (${formatDuration(seconds)}), ${result.bytes} bytes to ${sink.description}${why}`,
      );
    }
    if (sink.droppedBytes > 0) {
      log(
        `warning: ${sink.droppedBytes} bytes were dropped because nobody read ${sink.description} fast enough`,
      );
    }
    return result;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    labels?.close();
    try {
      await sink.close();
    } finally {
      await pty?.close();
      process.off('exit', removePty);
    }
  }
}

/** A pty ignores the baud rate; the serial port still wants one. */
const PTY_BAUD = 921600;

/**
 * A csv file or stdout opens with the `thrum record` line (rate and channel names), so `thrum train` and
 * `thrum eval` read it with no flags. A serial port (or --pty) gets none: the daemon's stream is data from the
 * first byte.
 */
function recordHeader(s: SimSettings): Uint8Array | undefined {
  if (s.format !== 'csv' || s.target.kind === 'serial' || s.target.kind === 'pty') return undefined;
  const line = formatRecordHeader({ sampleRate: s.sampleRate, names: [...SIM_CHANNEL_NAMES] });
  return new TextEncoder().encode(`${line}\n`);
}

function openLabels(s: SimSettings) {
  const path = s.labels!;
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (err) {
    throw new ThrumError('BAD_USAGE', `--labels ${path}: cannot write it (${(err as Error).message})`, {
      cause: err,
    });
  }
  const truth = faultLabels(s.faults, s.sampleRate);
  return {
    write: (first: number, n: number) => {
      writeSync(fd, truth.lines(first, n));
    },
    close: () => closeSync(fd),
  };
}

function summary(s: SimSettings, sim: VibrationSim): string[] {
  const orders = defectOrders(s.bearing);
  const shaftHz = s.rpm / 60;
  const output =
    s.target.kind === 'stdout'
      ? 'stdout'
      : s.target.kind === 'file'
        ? s.target.path
        : s.target.kind === 'pty'
          ? `virtual serial port ${s.target.path}`
          : `${s.target.path} @ ${s.target.baud} baud`;
  const format =
    s.format === 'csv'
      ? `csv${s.timestamps ? ' with µs timestamps' : ''}`
      : `frames (${s.sampleFormat}, ${s.frameSamples} samples/frame, sensor ${s.sensorId})`;
  return [
    `thrum sim: ${s.rpm} rpm (1x ${shaftHz.toFixed(2)} Hz), ${s.sampleRate} Hz, x,y radial + z axial in g, ` +
      `mains ${s.mains} Hz, ${format} -> ${output}, ${s.fast ? 'fast' : 'real rate'}, ${formatDuration(s.seconds)}`,
    `  faults: ${describeSchedule(s.faults)}; bearing ${s.bearing.name}: BPFO ${(orders.bpfo * shaftHz).toFixed(1)} Hz ` +
      `(${orders.bpfo.toFixed(3)}x), BPFI ${(orders.bpfi * shaftHz).toFixed(1)} Hz (${orders.bpfi.toFixed(3)}x), ` +
      `resonance ${sim.resonanceHz.toFixed(0)} Hz`,
    `  seed ${s.seed}${s.seedGiven ? '' : ` (pass --seed ${s.seed} to repeat this stream)`}`,
  ];
}

/** Encoded bytes per second of signal, from a quarter-second probe. */
function bytesPerSecond(sim: VibrationSim, encoder: SampleEncoder, sampleRate: number): number {
  const n = Math.max(encoder.granularity, Math.round(sampleRate / 4));
  const block = new Float32Array(n * sim.channels);
  sim.fill(block);
  return encoder.encode(block, 0).length * (sampleRate / n);
}
