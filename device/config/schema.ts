import { z } from 'zod';
import { detectorRuleSchema } from '../../shared/bundle/manifest.js';
import { clientIdSchema, topicIdSchema, topicPrefixSchema } from '../../shared/mqtt/topic-ids.js';
import { DEFAULT_TOPIC_PREFIX } from '../../shared/mqtt/topics.js';
import { brokerUrlProblem } from './broker-url.js';

// The one description of `thrum.yaml`. Every object is strict, so a misspelt key is an error, not a silently
// ignored setting. Defaults live here and nowhere else; docs/config.md documents the same values.

const positiveInt = () => z.number().int().positive();
/** A file or directory name: node:fs throws (a TypeError, not a config error) on a NUL in it. */
const pathString = () =>
  z
    .string()
    .min(1)
    .max(4096, 'expected a path of at most 4096 characters')
    .refine((p) => !p.includes('\0'), 'must not contain NUL (U+0000)');
/** Longest delay a Node.js timer keeps; a longer one fires after 1 ms (a reconnect or health storm). */
export const MAX_TIMER_MS = 2 ** 31 - 1;
const timerBound = [
  (ms: number) => ms <= MAX_TIMER_MS,
  `expected at most ${MAX_TIMER_MS} ms (about 24.8 days, the longest Node.js timer)`,
] as const;
// A refine, not .max(): the bound is the rare case, and "expected a positive integer" stays the message.
const milliseconds = () =>
  z
    .number()
    .int()
    .positive()
    .refine(...timerBound);

export const deviceSchema = z.strictObject({
  /** Names this machine in every topic: `<topicPrefix>/<id>/...`. */
  id: topicIdSchema,
});

export const SOURCES = ['serial', 'file', 'stdin'] as const;

export const serialSchema = z.strictObject({
  /** Where samples come from: a serial port, a recorded file (replay) or stdin. */
  source: z.enum(SOURCES).default('serial'),
  /** Serial device (`source: serial`) or recorded file (`source: file`). */
  path: pathString().optional(),
  baudRate: positiveInt().default(115200),
  format: z.enum(['csv', 'frames']).default('csv'),
  /**
   * `csv` only: `t_us` when every line starts with a timestamp in µs (`t_us,x,y,z`), `none` when lines hold only
   * the values. Declared, never guessed: on a 1-channel feed `1,2` would otherwise read as timestamp + value.
   */
  csvTimestamp: z.enum(['none', 't_us']).default('none'),
  channels: positiveInt().max(64),
  sampleRate: z.number().positive(),
  /** Sensor id of `csv` samples (frames carry their own); it becomes the topic level `<sensorId>`. */
  sensorId: z.number().int().nonnegative().max(65535).default(0),
  /** A port that stays open but sends nothing this long is reopened (health flag `serialSilent`). */
  silenceTimeoutMs: milliseconds().default(5000),
  /** `source: file` only: replay at the recorded sample rate (true) or as fast as possible. */
  realtime: z.boolean().default(false),
  /**
   * Received sample rate vs sampleRate (serial ports, and files replayed in real time): a relative difference
   * above this over 10 s raises the health flag `sampleRateMismatch`. 0 turns the check off.
   */
  sampleRateTolerance: z.number().min(0).max(1).default(0.05),
});

// --- model.engine (issue #16, runtime/engines/open-engine.ts) ---
/** `auto`: onnxruntime-node where it has a binary for this board, else onnxruntime-web (wasm, e.g. armv7). */
export const modelEngineSchema = z.enum(['auto', 'native', 'wasm']).default('auto');
// --- end model.engine ---

export const modelSchema = z.strictObject({
  /** Bundle directory written by `thrum train` (holds manifest.json). */
  bundle: pathString(),
  /** `auto` loads both, measures each at start and keeps the faster (the pick is logged). */
  variant: z.enum(['int8', 'fp32', 'auto']).default('auto'),
  /**
   * Public keys (a .pub path, relative to this file, or the PEM inline) whose bundle signatures the daemon
   * accepts; several for a key rotation. Set: unsigned or foreign-signed bundles are refused. Empty: unsigned
   * bundles load with a warning and the health flag bundleUnsigned (device/bundle-trust.ts).
   */
  trustedKeys: z.array(z.string().min(1)).default([]),
  engine: modelEngineSchema,
});

/** Overrides of the bundle's detector defaults; anything unset comes from the bundle's manifest. */
export const detectorSchema = detectorRuleSchema.partial().strict().extend({
  /** Replaces the bundle's calibrated threshold of the chosen variant. */
  threshold: z.number().positive().optional(),
});

export const mqttSchema = z.strictObject({
  /** Checked as mqtt.js will use it: scheme, host, port 1..65535, and no credentials in it. */
  url: z.string().superRefine((url, ctx) => {
    const problem = brokerUrlProblem(url);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  /** `auto`: try MQTT 5, fall back to 3.1.1 when the broker refuses it (aedes, old brokers). */
  protocolVersion: z.union([z.literal(5), z.literal(4), z.literal('auto')]).default('auto'),
  /** MQTT UTF-8 string rules, at most 128 bytes (brokers must take 23; mosquitto takes 65535). */
  clientId: clientIdSchema.optional(),
  username: clientIdSchema.optional(),
  /** Refused with a pointer to passwordFile / THRUM_MQTT_PASSWORD: inline secrets leak into backups. */
  password: z.unknown().optional(),
  /** File holding the password (first line). THRUM_MQTT_PASSWORD in the environment wins over it. */
  passwordFile: pathString().optional(),
  ca: pathString().optional(),
  cert: pathString().optional(),
  key: pathString().optional(),
  /** Verify the broker's TLS certificate. Turn off only for a self-signed test broker. */
  rejectUnauthorized: z.boolean().default(true),
  /** First topic level(s): `thrum`, or `plant-a/thrum`. */
  topicPrefix: topicPrefixSchema.default(DEFAULT_TOPIC_PREFIX),
  /** Seconds. */
  keepalive: z.number().int().min(0).max(65535).default(30),
  connectTimeoutMs: milliseconds().default(10_000),
  /** First reconnect delay; it doubles per failed attempt up to reconnectMaxMs. */
  reconnectPeriodMs: milliseconds().default(1000),
  reconnectMaxMs: milliseconds().default(30_000),
  /** A replayed alert older than this is marked `historical: true`. */
  historicalAfterMs: z.number().int().nonnegative().default(5000),
});

export const outboxSchema = z.strictObject({
  /** SQLite file; its directory must exist. */
  path: pathString().default('thrum-outbox.db'),
  /** Bound on stored alert payload bytes; the oldest alerts are evicted (and the eviction reported). */
  maxBytes: positiveInt()
    .min(4096)
    .default(64 * 1024 * 1024),
  maxAgeDays: z.number().positive().default(30),
  /** Replay rate after a reconnect (alerts per second). */
  replayRatePerSec: z.number().min(0.001).max(1_000_000).default(50),
  /** Alerts held in RAM while the disk is full. */
  ramBufferMax: positiveInt().default(1000),
});

export const logSchema = z.strictObject({
  level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `auto`: one readable line per record when stdout is a terminal, JSON lines otherwise (services, pipes). */
  format: z.enum(['auto', 'json', 'pretty']).default('auto'),
});

export const statusLogSchema = z.strictObject({
  /** Period of the one-line `daemon.status` log (windows/s, last score, alerts, outbox, broker). */
  intervalMs: milliseconds().default(30_000),
});

export const healthSchema = z.strictObject({
  intervalMs: milliseconds().default(30_000),
});

export const scoreSchema = z.strictObject({
  /** Period of the `<sensorId>/score` summaries (QoS 0, not persisted). */
  intervalMs: milliseconds().default(10_000),
});

export const inferenceSchema = z.strictObject({
  /** Most windows per ONNX Runtime call (micro-batching: ~1 us/window at 64 vs ~30 us alone). */
  maxBatch: positiveInt().max(4096).default(64),
  /**
   * Longest a window waits for its batch to fill; bounds the added alert latency. 0 (default): score what is
   * waiting at once; batches still form while the previous ORT call runs, so throughput holds (measured in
   * `thrum bench`: same samples/s, alert latency p50 7.7 -> 2.5 ms).
   */
  maxDelayMs: z
    .number()
    .int()
    .nonnegative()
    .refine(...timerBound)
    .default(0),
  /**
   * Windows that may wait while a batch is being scored; beyond it the oldest waiting window is dropped and
   * counted (health: inference.dropped). Matters for unpaced file or stdin replays.
   */
  maxQueue: positiveInt().default(1024),
});

export const shutdownSchema = z.strictObject({
  /** Graceful shutdown deadline: in-flight windows and publishes get this long after SIGTERM. */
  deadlineMs: milliseconds().default(5000),
});

export const configSchema = z.strictObject({
  device: deviceSchema,
  serial: serialSchema,
  model: modelSchema,
  detector: detectorSchema.prefault({}),
  mqtt: mqttSchema,
  outbox: outboxSchema.prefault({}),
  log: logSchema.prefault({}),
  health: healthSchema.prefault({}),
  score: scoreSchema.prefault({}),
  inference: inferenceSchema.prefault({}),
  shutdown: shutdownSchema.prefault({}),
  status: statusLogSchema.prefault({}),
});

/** The file as written, after defaults. */
export type ConfigFile = z.infer<typeof configSchema>;

/**
 * Rules that tie two keys together, checked after the schema: the problem as "key: what is wrong", or
 * undefined. (Kept out of zod so each message can say which other key it depends on.)
 */
export function crossFieldProblem(c: ConfigFile, doc: unknown): string | undefined {
  if ((doc as { mqtt?: { password?: unknown } }).mqtt?.password !== undefined) {
    return 'mqtt.password: inline passwords are not accepted; put the password in a file named by mqtt.passwordFile or in the THRUM_MQTT_PASSWORD environment variable';
  }
  if (c.serial.source !== 'stdin' && c.serial.path === undefined) {
    const what =
      c.serial.source === 'serial' ? 'a serial device such as /dev/ttyUSB0' : 'a recorded data file';
    return `serial.path: missing; required when serial.source is "${c.serial.source}": expected ${what}`;
  }
  if (c.mqtt.reconnectMaxMs < c.mqtt.reconnectPeriodMs) {
    return `mqtt.reconnectMaxMs: expected at least mqtt.reconnectPeriodMs (${c.mqtt.reconnectPeriodMs}), got ${c.mqtt.reconnectMaxMs}`;
  }
  if ((c.mqtt.cert === undefined) !== (c.mqtt.key === undefined)) {
    const [has, lacks] = c.mqtt.cert === undefined ? ['key', 'cert'] : ['cert', 'key'];
    return `mqtt.${lacks}: missing; client TLS needs both mqtt.cert and mqtt.key (mqtt.${has} is set)`;
  }
  if (c.inference.maxQueue < c.inference.maxBatch) {
    return `inference.maxQueue: expected at least inference.maxBatch (${c.inference.maxBatch}), got ${c.inference.maxQueue}`;
  }
  const { k, n } = c.detector;
  if (k !== undefined && n !== undefined && k > n) {
    return `detector.k: expected at most detector.n (${n}), got ${k}`;
  }
  return undefined;
}
