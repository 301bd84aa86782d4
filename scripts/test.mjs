#!/usr/bin/env node
// `npm test`: lint (biome), typecheck (tsc), then every vitest suite (unit, integration, e2e).
// Integration tests need mosquitto, socat and chromium. When one is missing and we are root with apt-get, it
// is installed; when it still is missing, the suites that need it are skipped (THRUM_SKIP_MOSQUITTO=1 /
// THRUM_SKIP_SOCAT=1 / THRUM_SKIP_CHROMIUM=1, honoured by test/helpers) and a banner at the start and at the
// end lists them.
// Every step runs even when an earlier one failed; the exit code is non-zero when any step failed.
// Extra arguments go to vitest: `npm test -- test/unit` runs the unit tests only (after lint and typecheck).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDeps } from './ensure-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
ensureDeps();
// The tests find mosquitto and socat with scripts/process/executables.ts; so does this runner, through tsx.
const { register } = await import('tsx/esm/api');
register();
const { findExecutable } = await import('./process/executables.ts');
const vitestArgs = process.argv.slice(2);

const TOOLS = [
  {
    name: 'mosquitto',
    env: 'THRUM_SKIP_MOSQUITTO',
    uses: /\b(startMosquitto|describeWithMosquitto|mosquittoAvailable)\b|describeRequiring\([^)]*['"]mosquitto['"]/,
  },
  {
    name: 'socat',
    env: 'THRUM_SKIP_SOCAT',
    uses: /\b(createPtyPair|describeWithSocat|socatAvailable)\b|describeRequiring\([^)]*['"]socat['"]/,
  },
  {
    // Debian's browser, driven by playwright-core (which never downloads one) for the report test.
    name: 'chromium',
    env: 'THRUM_SKIP_CHROMIUM',
    uses: /describeRequiring\([^)]*['"]chromium['"]/,
  },
  // The arm device packages under qemu-user (test/e2e/edge-qemu.test.ts). Not installed here: it takes foreign
  // dpkg architectures (.ci/run sets them up); the banner says what to run.
  {
    name: 'qemu',
    env: 'THRUM_SKIP_QEMU',
    uses: /describeRequiring\([^)]*['"]qemu['"]/,
    bins: [
      'qemu-aarch64-static',
      'qemu-arm-static',
      'aarch64-linux-gnu-g++',
      'arm-linux-gnueabihf-g++',
      'unshare',
    ],
    files: ['/lib/ld-linux-aarch64.so.1', '/lib/ld-linux-armhf.so.3'],
    install: false,
    hint:
      'dpkg --add-architecture arm64 armhf, then apt-get install qemu-user-static g++-aarch64-linux-gnu ' +
      'g++-arm-linux-gnueabihf libc6:arm64 libstdc++6:arm64 libc6:armhf libstdc++6:armhf libatomic1:armhf (see .ci/run)',
  },
  // thrum deploy against a real OpenSSH server on a loopback port.
  {
    name: 'sshd',
    env: 'THRUM_SKIP_SSHD',
    uses: /describeRequiring\([^)]*['"]sshd['"]/,
    bins: ['sshd', 'ssh', 'scp', 'ssh-keygen'],
    packages: ['openssh-server', 'openssh-client'],
  },
];

/** True when every executable and file the tool needs is there. */
function toolPresent(tool) {
  return (
    (tool.bins ?? [tool.name]).every((b) => findExecutable(b)) &&
    (tool.files ?? []).every((f) => existsSync(f))
  );
}

function bin(name) {
  const path = join(root, 'node_modules', '.bin', name);
  if (!existsSync(path)) {
    console.error(`test: ${path} not found; install dependencies first (npm ci)`);
    process.exit(2);
  }
  return path;
}

function run(label, command, args, env = process.env) {
  console.log(`\n=== ${label}: ${[relative(root, command) || command, ...args].join(' ')}`);
  const started = Date.now();
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  const ok = r.status === 0;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (r.error) console.error(`test: could not run ${command}: ${r.error.message}`);
  return { label, ok, seconds, status: r.status ?? r.signal ?? 'error' };
}

/** Installs the missing tools with apt-get when we are root; returns what is still missing. */
function ensureTools(missing) {
  if (missing.length === 0) return missing;
  const installable = missing.filter((t) => t.install !== false);
  const canInstall = installable.length > 0 && process.getuid?.() === 0 && findExecutable('apt-get');
  if (!canInstall) {
    console.log(
      installable.length === 0
        ? `test: ${missing.map((t) => t.name).join(', ')} missing; the test runner does not install it (.ci/run does)`
        : `test: ${missing.map((t) => t.name).join(', ')} missing; not root or no apt-get, so they cannot be installed here`,
    );
    return missing;
  }
  const names = installable.flatMap((t) => t.packages ?? [t.name]);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...names], { stdio: 'inherit', env })
      .status === 0;
  console.log(`\n=== installing ${names.join(' ')} with apt-get (the integration tests need them)`);
  if (!install()) {
    console.log(
      'test: apt-get install failed; refreshing the package lists (apt-get update) and trying again',
    );
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    install();
  }
  return missing.filter((t) => !toolPresent(t));
}

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : testFiles(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const HELPERS = join(root, 'test', 'helpers');

/** True when `file` or a local module it imports (transitively, test/helpers aside) uses the tool's helper. */
function usesTool(file, tool, seen = new Set()) {
  if (seen.has(file) || !existsSync(file) || file.startsWith(HELPERS)) return false;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  if (tool.uses.test(text)) return true;
  for (const m of text.matchAll(/from\s+['"](\.[^'"]+)\.js['"]/g)) {
    if (usesTool(join(dirname(file), `${m[1]}.ts`), tool, seen)) return true;
  }
  return false;
}

function skipBanner(missing, when) {
  if (missing.length === 0) return;
  const files = testFiles(join(root, 'test'));
  const lines = [
    `!!! ${when}: SOME TEST SUITES ARE SKIPPED: this run does NOT cover everything !!!`,
    ...missing.flatMap((tool) => {
      const affected = files.filter((f) => usesTool(f, tool)).map((f) => relative(root, f));
      return [
        `${tool.preset ? `${tool.env}=1 was set` : `${tool.name} is not installed (install it: ${tool.hint ?? `apt-get install ${(tool.packages ?? [tool.name]).join(' ')}`})`}; skipped suites:`,
        ...(affected.length ? affected.map((f) => `    - ${f}`) : ['    (no test file uses it)']),
      ];
    }),
  ];
  const width = Math.max(...lines.map((l) => l.length)) + 4;
  const bar = '!'.repeat(width);
  console.log(`\n${bar}\n${lines.map((l) => `! ${l.padEnd(width - 4)} !`).join('\n')}\n${bar}\n`);
}

const presetSkips = TOOLS.filter((t) => process.env[t.env] === '1').map((t) => ({ ...t, preset: true }));
const absent = TOOLS.filter((t) => process.env[t.env] !== '1' && !toolPresent(t));
const missing = [...presetSkips, ...ensureTools(absent)];
const env = { ...process.env };
for (const tool of missing) env[tool.env] = '1';
skipBanner(missing, 'START');

const reportFile = join(tmpdir(), `thrum-vitest-${process.pid}.json`);
const results = [
  run('lint', bin('biome'), ['check', '.']),
  run('typecheck', bin('tsc'), ['--noEmit', '-p', '.']),
  run(
    'tests',
    bin('vitest'),
    ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`, ...vitestArgs],
    env,
  ),
];

console.log('\n=== summary');
for (const r of results) {
  console.log(
    `${r.ok ? 'ok  ' : 'FAIL'}  ${r.label.padEnd(10)} ${r.seconds.padStart(6)} s${r.ok ? '' : `  (exit ${r.status})`}`,
  );
}
skipBanner(missing, 'END');
// One plain closing line that any CI reader understands, whatever vitest's own summary looks like.
const counts = readCounts(reportFile);
if (counts)
  console.log(`vitest: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exit(results.every((r) => r.ok) ? 0 : 1);

function readCounts(file) {
  try {
    const r = JSON.parse(readFileSync(file, 'utf8'));
    rmSync(file, { force: true });
    return {
      passed: r.numPassedTests,
      failed: r.numFailedTests,
      skipped: r.numPendingTests + r.numTodoTests,
    };
  } catch {
    return undefined;
  }
}
