#!/usr/bin/env node
// In a clone the TypeScript sources run through tsx, so an edit never meets a stale build; a published
// package ships only dist/ and runs that.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'cli', 'main.ts');
if (existsSync(source)) {
  // A fresh clone: `npx thrum ...` installs the dependencies first, so the README's first command just works.
  const { ensureDeps } = await import(pathToFileURL(join(root, 'scripts', 'ensure-deps.mjs')).href);
  ensureDeps();
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(source).href);
} else {
  await import(pathToFileURL(join(root, 'dist', 'cli', 'main.js')).href);
}
