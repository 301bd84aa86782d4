import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, sourceFiles } from '../helpers/source-files.js';

// The layering rules of DESIGN.md and STYLE.md, checked on every import statement of the source tree.
const root = repoRoot;
const NATIVE = [
  'serialport',
  '@serialport/',
  'onnxruntime-node',
  'mqtt',
  'better-sqlite3',
  'aedes',
  '@tensorflow/',
];

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(
    /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
  )) {
    specs.push(m[1] ?? m[2]!);
  }
  return specs;
}

/** Resolves a relative specifier to a repo-relative path; bare specifiers are returned as they are. */
function target(file: string, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  return relative(root, resolve(root, file, '..', spec));
}

const isNative = (spec: string) =>
  NATIVE.some((n) => spec === n || spec.startsWith(n.endsWith('/') ? n : `${n}/`));

/**
 * Which top folders each folder may import. The score is computed in runtime/ alone; the device, the trainer's
 * calibration, eval, the benchmarks and the tests all run a bundle through it, so no folder re-implements it.
 */
const MAY_IMPORT: Record<string, readonly string[]> = {
  shared: ['shared'],
  runtime: ['shared', 'runtime'],
  device: ['shared', 'runtime', 'device'],
  trainer: ['shared', 'runtime', 'trainer'],
  eval: ['shared', 'runtime', 'trainer', 'eval'],
  tools: ['shared', 'runtime', 'device', 'tools'],
};
const TOP_FOLDERS = [
  'shared',
  'runtime',
  'device',
  'trainer',
  'eval',
  'tools',
  'bench',
  'cli',
  'scripts',
  'test',
];

/**
 * Where native packages may be imported: one adapter folder per side. The trainer keeps tfjs in model/ and
 * reaches ONNX Runtime only through runtime/ (so its thresholds come from the device's engine and scorer).
 */
const NATIVE_ALLOWED: Record<string, readonly string[]> = {
  shared: [],
  runtime: ['runtime/engines/'],
  device: ['device/adapters/'],
  trainer: ['trainer/model/'],
};

describe('import boundaries', () => {
  it('finds the source files it checks', () => {
    for (const dir of Object.keys(MAY_IMPORT)) expect(sourceFiles(dir).length).toBeGreaterThan(3);
  });

  for (const [dir, allowed] of Object.entries(MAY_IMPORT)) {
    it(`${dir}/ imports only ${allowed.join(', ')}`, () => {
      const offenders = sourceFiles(dir).flatMap((file) =>
        importsOf(file)
          .map((spec) => target(file, spec))
          .filter((t) => TOP_FOLDERS.some((top) => t.startsWith(`${top}/`)))
          .filter((t) => !allowed.some((a) => t.startsWith(`${a}/`)))
          .map((t) => `${file} -> ${t}`),
      );
      expect(offenders).toEqual([]);
    });
  }

  for (const [dir, adapters] of Object.entries(NATIVE_ALLOWED)) {
    it(`in ${dir}/, native packages are imported ${adapters.length ? `only in ${adapters.join(', ')}` : 'nowhere'}`, () => {
      const offenders = sourceFiles(dir)
        .filter((file) => !adapters.some((a) => file.startsWith(a)))
        .flatMap((file) =>
          importsOf(file)
            .filter(isNative)
            .map((t) => `${file} -> ${t}`),
        );
      expect(offenders).toEqual([]);
    });
  }

  it('a rule that is broken is reported (the checker itself can fail)', () => {
    expect(target('trainer/x.ts', '../device/y.js')).toBe('device/y.js');
    expect(isNative('onnxruntime-node')).toBe(true);
    expect(isNative('mqtt-packet')).toBe(false);
  });
});
