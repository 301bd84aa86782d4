import { describe, expect, it } from 'vitest';
import { readmeCommands } from '../e2e/readme-commands.js';

describe('readmeCommands', () => {
  it('takes the command lines of the first sh block after the heading', () => {
    const readme = [
      '# x',
      '```sh',
      'npx thrum not-this',
      '```',
      '## Your own machine in five commands',
      'text',
      '```sh',
      '# a comment',
      'npx thrum sim --out a.csv',
      '',
      'npx thrum train --data a.csv',
      '```',
      '```sh',
      'npx thrum later',
      '```',
    ].join('\n');
    expect(readmeCommands(readme)).toEqual(['npx thrum sim --out a.csv', 'npx thrum train --data a.csv']);
  });

  it('says so when the section is missing', () => {
    expect(() => readmeCommands('# nothing')).toThrow(/no "## Your own machine in five commands" section/);
  });
});
