import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The layering rules of DESIGN.md and STYLE.md, checked on every import statement of the source tree.
const root = resolve(import.meta.dirname, '../..');
const NATIVE = [
  'serialport',
  '@serialport/',
  'onnxruntime-node',
  'mqtt',
  'better-sqlite3',
  'aedes',
  '@tensorflow/',
];

function sourceFiles(dir: string): string[] {
  const abs = join(root, dir);
  let entries: string[];
  try {
    entries = readdirSync(abs);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(abs, name);
    if (statSync(path).isDirectory()) return sourceFiles(relative(root, path));
    return /\.(ts|mts|js|mjs)$/.test(name) ? [relative(root, path)] : [];
  });
}

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

describe('import boundaries', () => {
  it('finds the source files it checks', () => {
    expect(sourceFiles('shared').length).toBeGreaterThan(3);
  });

  it('shared/ imports neither device/, trainer/, cli/, scripts/ nor native packages', () => {
    const offenders = sourceFiles('shared').flatMap((file) =>
      importsOf(file)
        .map((spec) => target(file, spec))
        .filter((t) => /^(device|trainer|cli|scripts)\//.test(t) || isNative(t))
        .map((t) => `${file} -> ${t}`),
    );
    expect(offenders).toEqual([]);
  });

  it('device/ never imports trainer/', () => {
    const offenders = sourceFiles('device').flatMap((file) =>
      importsOf(file)
        .map((spec) => target(file, spec))
        .filter((t) => t.startsWith('trainer/'))
        .map((t) => `${file} -> ${t}`),
    );
    expect(offenders).toEqual([]);
  });

  it('on the device, only device/adapters/ imports native packages', () => {
    const offenders = sourceFiles('device')
      .filter((file) => !file.startsWith('device/adapters/'))
      .flatMap((file) =>
        importsOf(file)
          .filter(isNative)
          .map((t) => `${file} -> ${t}`),
      );
    expect(offenders).toEqual([]);
  });
});
