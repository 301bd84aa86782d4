import { accessSync, constants, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ThrumError } from '../../shared/errors.js';
import { quotePath } from '../../shared/printable.js';
import { redactUrl } from '../../shared/redact-url.js';
import { zodErrorMessage } from '../../shared/zod-errors.js';
import { readBounded } from './read-bounded.js';
import { type ConfigFile, configSchema, crossFieldProblem } from './schema.js';
import { parseYaml, readConfigText } from './yaml-text.js';

/** The validated config with paths made absolute and the MQTT password resolved (never logged). */
export type Config = ConfigFile & {
  /** Absolute path of the file it came from. */
  file: string;
  mqtt: ConfigFile['mqtt'] & { password?: string };
};

export const PASSWORD_ENV = 'THRUM_MQTT_PASSWORD';

function bad(file: string, detail: string): ThrumError {
  return new ThrumError('BAD_CONFIG', `${basename(file)}: ${detail}`);
}

/** Validates a parsed document against the schema; throws BAD_CONFIG naming the first bad key. */
export function validateConfig(file: string, doc: unknown): ConfigFile {
  if (doc === null || doc === undefined) {
    throw bad(file, 'the file is empty; see docs/config.md for a full example');
  }
  const result = configSchema.safeParse(doc);
  if (!result.success) {
    // The message shows what was found at each key: never an inline password.
    const shown = redactSecrets(doc);
    const message = zodErrorMessage(result.error, { input: shown, schema: configSchema });
    throw new ThrumError('BAD_CONFIG', `${basename(file)}: ${message}; see docs/config.md`, {
      cause: result.error,
    });
  }
  const problem = crossFieldProblem(result.data, doc);
  if (problem) throw bad(file, `${problem}; see docs/config.md`);
  return result.data;
}

/** The document as an error message may show it: no inline password, no credentials of a URL. */
function redactSecrets(doc: unknown): unknown {
  const mqtt = (doc as { mqtt?: unknown }).mqtt;
  if (mqtt === null || typeof mqtt !== 'object' || Array.isArray(mqtt)) return doc;
  const url = (mqtt as { url?: unknown }).url;
  return {
    ...(doc as object),
    mqtt: { ...mqtt, password: undefined, ...(typeof url === 'string' ? { url: redactUrl(url) } : {}) },
  };
}

function requireReadable(file: string, key: string, path: string, what: string): void {
  try {
    accessSync(path, constants.R_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : 'is not readable';
    throw bad(file, `${key}: expected ${what}, got ${quotePath(path)}, which ${why}`);
  }
}

/** A database file the daemon can create or open: in a writable directory, and not itself a directory. */
function requireWritableFile(file: string, key: string, path: string): void {
  const dir = dirname(path);
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    accessSync(dir, constants.W_OK);
  } catch {
    throw bad(
      file,
      `${key}: expected a file in a writable directory, got ${quotePath(path)}; create ${quotePath(dir)}`,
    );
  }
  const info = statSync(path, { throwIfNoEntry: false });
  if (info === undefined) return;
  if (info.isDirectory()) {
    throw bad(
      file,
      `${key}: ${quotePath(path)} is a directory; name a file in it, e.g. ${quotePath(join(path, 'outbox.db'))}`,
    );
  }
  if (!info.isFile()) {
    throw bad(file, `${key}: ${quotePath(path)} is not a regular file; name a file the daemon may create`);
  }
  try {
    accessSync(path, constants.R_OK | constants.W_OK);
  } catch {
    throw bad(
      file,
      `${key}: ${quotePath(path)} is not readable and writable by this user; fix its owner or mode`,
    );
  }
}

/** Longest password file read: its first line is the password. */
const MAX_PASSWORD_FILE_BYTES = 4096;

function readPassword(file: string, key: string, path: string): string {
  requireReadable(file, key, path, 'a readable file holding the MQTT password');
  const text = readBounded(path, MAX_PASSWORD_FILE_BYTES);
  if (text === undefined) {
    throw bad(
      file,
      `${key}: ${quotePath(path)} is not a regular file of at most ${MAX_PASSWORD_FILE_BYTES} bytes; put the password on its first line`,
    );
  }
  const password = text.split(/\r?\n/)[0] ?? '';
  if (password.length === 0) throw bad(file, `${key}: the password file ${quotePath(path)} is empty`);
  return password;
}

/**
 * Resolves paths against the config file's directory, reads secrets and checks that every file the daemon
 * will open exists, so `thrum run` fails before it opens anything.
 */
export function resolveConfig(
  file: string,
  parsed: ConfigFile,
  env: NodeJS.ProcessEnv = process.env,
): Config {
  const base = dirname(file);
  const abs = (p: string | undefined) => (p === undefined ? undefined : resolve(base, p));
  const mqtt = {
    ...parsed.mqtt,
    passwordFile: abs(parsed.mqtt.passwordFile),
    ca: abs(parsed.mqtt.ca),
    cert: abs(parsed.mqtt.cert),
    key: abs(parsed.mqtt.key),
  } as Config['mqtt'];
  delete mqtt.password;
  for (const k of ['ca', 'cert', 'key'] as const) {
    const p = mqtt[k];
    if (p !== undefined) requireReadable(file, `mqtt.${k}`, p, 'a readable PEM file');
  }
  const fromEnv = env[PASSWORD_ENV];
  if (fromEnv !== undefined && fromEnv !== '') mqtt.password = fromEnv;
  else if (mqtt.passwordFile !== undefined)
    mqtt.password = readPassword(file, 'mqtt.passwordFile', mqtt.passwordFile);

  const serial = { ...parsed.serial };
  if (serial.source === 'file' && serial.path !== undefined) {
    serial.path = resolve(base, serial.path);
    requireReadable(file, 'serial.path', serial.path, 'a recorded data file');
  }
  const model = { ...parsed.model, bundle: resolve(base, parsed.model.bundle) };
  requireReadable(
    file,
    'model.bundle',
    model.bundle,
    'a model bundle directory or .tar written by thrum train',
  );
  const outbox = { ...parsed.outbox, path: resolve(base, parsed.outbox.path) };
  requireWritableFile(file, 'outbox.path', outbox.path);

  return { ...parsed, file, serial, model, mqtt, outbox };
}

/** Reads, parses, validates and resolves `thrum.yaml`. Throws ThrumError BAD_CONFIG (exit 2). */
export function loadConfig(path: string, env: NodeJS.ProcessEnv = process.env): Config {
  const file = resolve(path);
  const doc = parseYaml(file, readConfigText(file));
  return resolveConfig(file, validateConfig(file, doc), env);
}
