import { closeSync, fstatSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { ThrumError } from '../../shared/errors.js';
import { printable, quote } from '../../shared/printable.js';
import { openForReading } from './read-bounded.js';

// Reading and parsing `thrum.yaml` with bounds, so a hostile or broken file costs milliseconds and ends in one
// line: a size cap (a real config is about 2 KiB), a depth cap, aliases capped (billion laughs), and a
// duplicate-key check in linear time (yaml's own `uniqueKeys` compares each key with every earlier one: 700k
// keys took 15 minutes).

/** Largest config file read, in bytes. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Deepest nesting of maps and lists accepted (thrum.yaml itself is 2 levels deep). */
export const MAX_CONFIG_DEPTH = 32;
/** Most alias expansions (`*name`) while building the document; YAML bombs exceed it at once. */
export const MAX_ALIAS_COUNT = 100;

const FIX = 'pass --config <path to thrum.yaml>';

/** The file's text, refusing what is not a regular file or is larger than MAX_CONFIG_BYTES. */
export function readConfigText(file: string): string {
  let fd: number;
  try {
    fd = openForReading(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(code);
    throw new ThrumError('BAD_CONFIG', `cannot read config ${file} (${why}); ${FIX}`);
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new ThrumError('BAD_CONFIG', `config ${file} is not a regular file; ${FIX}`);
    if (info.size > MAX_CONFIG_BYTES) {
      throw new ThrumError(
        'BAD_CONFIG',
        `config ${file} is ${info.size} bytes; a thrum.yaml is at most ${MAX_CONFIG_BYTES} bytes (1 MiB): ${FIX}`,
      );
    }
    // Read at most one byte past the bound: the file may grow between fstat and read.
    const buf = Buffer.alloc(Math.min(info.size, MAX_CONFIG_BYTES) + 1);
    let n = 0;
    for (let got = 1; got > 0 && n < buf.length; n += got) got = readSync(fd, buf, n, buf.length - n, n);
    if (n > MAX_CONFIG_BYTES) {
      throw new ThrumError('BAD_CONFIG', `config ${file} is over ${MAX_CONFIG_BYTES} bytes (1 MiB): ${FIX}`);
    }
    return buf.subarray(0, n).toString('utf8');
  } catch (err) {
    if (err instanceof ThrumError) throw err;
    throw new ThrumError(
      'BAD_CONFIG',
      `cannot read config ${file} (${(err as NodeJS.ErrnoException).code ?? 'read error'}); ${FIX}`,
    );
  } finally {
    closeSync(fd);
  }
}

/** Parses YAML into plain values; a syntax error, a duplicate key or a bound names line and column. */
export function parseYaml(file: string, text: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: false, lineCounter });
  const fail = (offset: number | undefined, message: string): never => {
    const at = offset === undefined ? undefined : lineCounter.linePos(offset);
    const where = at ? `:${at.line}:${at.col}` : '';
    throw new ThrumError('BAD_CONFIG', `${basename(file)}${where}: invalid YAML: ${message}`);
  };
  const err = doc.errors[0];
  if (err) {
    // yaml quotes bits of the source in its messages: whatever they hold must not break the line.
    const message = printable(err.message.split(' at line')[0]!.split('\n')[0]!);
    fail(
      err.pos[0],
      /call stack/.test(message) ? `nested too deeply (more than ${MAX_CONFIG_DEPTH} levels)` : message,
    );
  }
  checkTree(doc.contents, fail);
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    if (/alias/i.test((e as Error).message)) {
      return fail(
        undefined,
        `aliases (*name) expand too often (more than ${MAX_ALIAS_COUNT} times): write the values out`,
      );
    }
    return fail(undefined, printable(`${(e as Error).message.split('\n')[0]}`));
  }
}

type Fail = (offset: number | undefined, message: string) => never;

/** Depth bound and unique keys, in one iterative pass (no recursion: depth is what is being bounded). */
function checkTree(root: unknown, fail: Fail): void {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (isMap(node) || isSeq(node)) {
      if (depth >= MAX_CONFIG_DEPTH)
        fail(node.range?.[0], `nested too deeply (more than ${MAX_CONFIG_DEPTH} levels)`);
    }
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key)) {
          // Keys equal as yaml compares them: same scalar value (1 and "1" differ).
          if (seen.has(key.value))
            fail(key.range?.[0], `Map keys must be unique (${quote(String(key.value), 40)} appears twice)`);
          seen.add(key.value);
        }
        stack.push({ node: key, depth: depth + 1 }, { node: pair.value, depth: depth + 1 });
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push({ node: item, depth: depth + 1 });
    } else if (isPair(node)) {
      stack.push({ node: node.key, depth }, { node: node.value, depth });
    }
  }
}
