import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The README heading the first-hour commands follow; the first ```sh block after it holds them. */
export const FIRST_HOUR_HEADING = '## Your own machine in five commands';

/** The command lines of the first ```sh block after `heading` (blank lines and `#` comments left out). */
export function readmeCommands(readme: string, heading = FIRST_HOUR_HEADING): string[] {
  const at = readme.indexOf(`\n${heading}\n`);
  if (at < 0) throw new Error(`README has no "${heading}" section`);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!block) throw new Error(`no \`\`\`sh block after "${heading}"`);
  return block[1]!
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

export function readRepoReadme(): string {
  return readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
}
