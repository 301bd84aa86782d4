import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { ThrumError } from '../../shared/errors.js';
import { zodErrorMessage } from '../../shared/zod-errors.js';
import { type ConfigFile, configSchema, crossFieldProblem } from './schema.js';

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

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(code);
    throw new ThrumError(
      'BAD_CONFIG',
      `cannot read config ${file} (${why}); pass --config <path to thrum.yaml>`,
    );
  }
}

/** Parses YAML; a syntax error names line and column. */
export function parseYaml(file: string, text: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    const at = err.linePos?.[0];
    const where = at ? `:${at.line}:${at.col}` : '';
    const message = err.message.split(' at line')[0]!.split('\n')[0];
    throw new ThrumError('BAD_CONFIG', `${basename(file)}${where}: invalid YAML: ${message}`);
  }
  return doc.toJS();
}

/** Validates a parsed document against the schema; throws BAD_CONFIG naming the first bad key. */
export function validateConfig(file: string, doc: unknown): ConfigFile {
  if (doc === null || doc === undefined) {
    throw bad(file, 'the file is empty; see docs/config.md for a full example');
  }
  const result = configSchema.safeParse(doc);
  if (!result.success) {
    // The message shows what was found at each key: never an inline password.
    const shown = redactInlinePassword(doc);
    const message = zodErrorMessage(result.error, { input: shown, schema: configSchema });
    throw new ThrumError('BAD_CONFIG', `${basename(file)}: ${message}; see docs/config.md`, {
      cause: result.error,
    });
  }
  const problem = crossFieldProblem(result.data, doc);
  if (problem) throw bad(file, `${problem}; see docs/config.md`);
  return result.data;
}

function redactInlinePassword(doc: unknown): unknown {
  const mqtt = (doc as { mqtt?: unknown }).mqtt;
  if (mqtt === null || typeof mqtt !== 'object' || !('password' in mqtt)) return doc;
  return { ...(doc as object), mqtt: { ...mqtt, password: undefined } };
}

function requireReadable(file: string, key: string, path: string, what: string): void {
  try {
    accessSync(path, constants.R_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : 'is not readable';
    throw bad(file, `${key}: expected ${what}, got ${JSON.stringify(path)}, which ${why}`);
  }
}

function requireWritableDir(file: string, key: string, path: string): void {
  const dir = dirname(path);
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    accessSync(dir, constants.W_OK);
  } catch {
    throw bad(
      file,
      `${key}: expected a file in a writable directory, got ${JSON.stringify(path)}; create ${dir}`,
    );
  }
}

function readPassword(file: string, key: string, path: string): string {
  requireReadable(file, key, path, 'a readable file holding the MQTT password');
  const password = readFileSync(path, 'utf8').split(/\r?\n/)[0] ?? '';
  if (password.length === 0) throw bad(file, `${key}: the password file ${path} is empty`);
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
  requireWritableDir(file, 'outbox.path', outbox.path);

  return { ...parsed, file, serial, model, mqtt, outbox };
}

/** Reads, parses, validates and resolves `thrum.yaml`. Throws ThrumError BAD_CONFIG (exit 2). */
export function loadConfig(path: string, env: NodeJS.ProcessEnv = process.env): Config {
  const file = resolve(path);
  const doc = parseYaml(file, readText(file));
  return resolveConfig(file, validateConfig(file, doc), env);
}
