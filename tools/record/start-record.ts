import { createWriteStream, rmSync, type WriteStream } from 'node:fs';
import type { Subscription } from 'rxjs';
import { createSerialSource, listSerialPorts } from '../../device/adapters/serialport-source.js';
import type { SensorSource, SourceStatus } from '../../device/source/sensor-source.js';
import { createStdinSource } from '../../device/source/stdin-source.js';
import { ThrumError } from '../../shared/errors.js';
import { createDecoder } from '../../shared/protocol/index.js';
import { Capture } from './capture.js';
import { formatProgress, RateMeter } from './progress.js';
import { RecordFileText } from './record-file.js';
import { parseRecordOptions, type RawRecordOptions, type RecordSettings } from './record-options.js';

export interface RecordIo {
  /** Progress and summary lines (stderr). */
  err: NodeJS.WritableStream & { isTTY?: boolean };
  stopped: Promise<void>;
}

export interface RecordResult {
  samples: number;
  bad: number;
  gaps: number;
}

const TTY_REFRESH_MS = 250;
const LINE_REFRESH_MS = 5000;

/** `thrum record`: decodes a serial port or stdin into a record file until the sample count, EOF or Ctrl-C. */
export async function startRecord(raw: RawRecordOptions, io: RecordIo): Promise<RecordResult> {
  const settings = parseRecordOptions(raw);
  const source: SensorSource =
    settings.port === '-'
      ? createStdinSource()
      : createSerialSource({ path: settings.port, baudRate: settings.baud });
  const decoder = createDecoder(settings.format, {
    channels: settings.channels,
    sensorId: settings.sensorId ?? 0,
    timestamp: settings.timestamps ? 't_us' : 'none',
  });
  const capture = new Capture({
    channels: settings.channels,
    sensorId: settings.sensorId,
    maxSamples: settings.maxSamples,
  });
  const text = new RecordFileText(settings.sampleRate, settings.names);
  const meter = new RateMeter();
  const tty = io.err.isTTY === true;
  let sourceState: string | undefined;
  let wroteAny = false;
  let file: WriteStream | undefined;
  const openFile = async () => {
    if (settings.out === '-') return undefined;
    const stream = createWriteStream(settings.out, { flags: settings.force ? 'w' : 'wx' });
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', (err) =>
        reject(new ThrumError('BAD_USAGE', `--out ${settings.out}: cannot write: ${err.message}`)),
      );
    });
    return stream;
  };
  file = await openFile();
  const write = (chunk: string) => {
    if (chunk.length === 0) return;
    wroteAny = true;
    if (file) file.write(chunk);
    else process.stdout.write(chunk);
  };

  const progress = () =>
    formatProgress({
      counters: capture.counters,
      rate: meter.rate(),
      sampleRate: settings.sampleRate,
      maxSamples: settings.maxSamples,
      sourceState,
    });
  /** When the first samples arrived, and how many: the rate is measured from there. */
  let first: { t: number; samples: number } | undefined;
  let lastLine = 0;
  const show = (final: boolean) => {
    const now = Date.now();
    meter.add(now, capture.counters.samples);
    // The closing line reports the average since the first samples arrived.
    if (final && first && now > first.t) meter.reset(first.t, now, capture.counters.samples - first.samples);
    if (tty) io.err.write(`\r\x1b[2K${progress()}${final ? '\n' : ''}`);
    else if (final || now - lastLine >= LINE_REFRESH_MS) {
      lastLine = now;
      io.err.write(`${progress()}\n`);
    }
  };
  io.err.write(
    `thrum record: ${settings.port === '-' ? 'stdin' : `${settings.port} @ ${settings.baud} baud`} (${settings.format}) -> ${settings.out}, ` +
      `${Number.isFinite(settings.maxSamples) ? `${settings.maxSamples} samples` : 'until Ctrl-C or end of input'}\n`,
  );

  let subscription: Subscription | undefined;
  let stateSubscription: Subscription | undefined;
  let timer: NodeJS.Timeout | undefined;
  let everOpen = false;
  try {
    await new Promise<void>((resolve, reject) => {
      const handle = (chunk: Uint8Array) => {
        write(text.render(capture.accept(decoder.push(chunk))));
        if (!first && capture.counters.samples > 0)
          first = { t: Date.now(), samples: capture.counters.samples };
        if (capture.done) resolve();
      };
      stateSubscription = source.state$.subscribe((s: SourceStatus) => {
        if (s.state === 'open') {
          if (!everOpen && settings.port !== '-')
            io.err.write(`${settings.port} is open; waiting for data\n`);
          everOpen = true;
          sourceState = undefined;
        } else if (s.state === 'reconnecting' && !everOpen && settings.port !== '-') {
          reject(openError(settings, s.reason));
        } else if (s.state === 'reconnecting' || s.state === 'silent') {
          sourceState = `${s.state}: ${s.reason ?? ''}`.trim();
        }
      });
      subscription = source.chunks$.subscribe({
        next: handle,
        error: (err: unknown) => reject(err),
        complete: () => {
          write(text.render(capture.accept(decoder.flush())));
          resolve();
        },
      });
      void io.stopped.then(() => resolve());
      timer = setInterval(() => show(false), tty ? TTY_REFRESH_MS : 1000);
    });
  } catch (err) {
    // Leave no empty file behind when the port could not be opened or the input could not be read.
    if (file && !wroteAny) rmSync(settings.out, { force: true });
    throw err;
  } finally {
    clearInterval(timer);
    subscription?.unsubscribe();
    stateSubscription?.unsubscribe();
    if (file) await new Promise<void>((resolve) => file!.end(() => resolve()));
  }
  show(true);

  const c = capture.counters;
  if (c.samples === 0) {
    if (file && !wroteAny) rmSync(settings.out, { force: true });
    const counters = decoder.counters;
    const hint =
      counters.bytes === 0
        ? 'no bytes arrived: is the sender running, and on this port?'
        : `${counters.bytes} bytes arrived but none decoded as ${settings.format} (${counters.bad} bad): check --format` +
          (settings.port === '-' ? '' : ' and --baud');
    throw new ThrumError(
      'BAD_DATA',
      `nothing recorded from ${settings.port === '-' ? 'stdin' : settings.port}: ${hint}`,
    );
  }
  for (const reason of capture.ignoredReasons)
    io.err.write(`warning: left out ${reason}; pick one with --sensor-id / --channels\n`);
  const measured = meter.rate();
  const elapsed = first ? (Date.now() - first.t) / 1000 : 0;
  if (
    settings.port !== '-' &&
    measured !== undefined &&
    elapsed > 1 &&
    Math.abs(measured / settings.sampleRate - 1) > 0.05
  ) {
    io.err.write(
      `warning: samples arrived at about ${measured.toFixed(0)} Hz but the file says --sample-rate ${settings.sampleRate}; ` +
        "record again with the right --sample-rate if that is not the sender's rate\n",
    );
  }
  io.err.write(
    `thrum record: wrote ${c.samples} samples × ${capture.channels} channels (${(c.samples / settings.sampleRate).toFixed(2)} s at ${settings.sampleRate} Hz) ` +
      `to ${settings.out}; ${c.bad} bad, ${c.gaps} gaps (${c.missingFrames} frames lost)\n`,
  );
  return { samples: c.samples, bad: c.bad, gaps: c.gaps };
}

function openError(settings: RecordSettings, reason: string | undefined): ThrumError {
  return new ThrumError(
    'BAD_USAGE',
    `--port ${settings.port}: cannot open (${reason ?? 'unknown error'}); check the path, permissions (dialout group) and that no other program holds it`,
  );
}

/** Appends the ports the system knows to an open error, so the user sees what to pass. */
export async function withPortList(err: unknown): Promise<unknown> {
  if (!(err instanceof ThrumError) || !err.message.includes('cannot open')) return err;
  const ports = await listSerialPorts().catch(() => []);
  const known =
    ports.length === 0 ? 'no serial ports found' : `ports: ${ports.map((p) => p.path).join(', ')}`;
  return new ThrumError(err.code, `${err.message}; ${known}`);
}
