// `npm run demo`: installs dependencies on a fresh clone, then runs the demo from its TypeScript source.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureDeps } from './ensure-deps.mjs';

ensureDeps();
const { register } = await import('tsx/esm/api');
register();
await import(pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), 'demo', 'main.ts')).href);
