import { describe, expect, it } from 'vitest';
import { parseArgs } from '../command.ts';
import { commands } from './index.ts';

describe('lab --help', () => {
  // Every command answers --help with its usage and does nothing else: no training, no browser, no file read.
  // A command that ignored the flag would start its work here and fail (no such files) or take minutes.
  for (const [name, command] of Object.entries(commands)) {
    it(`${name} --help prints its usage`, async () => {
      const r = await command(parseArgs(['--help', '--json', '/nonexistent/out.json']));
      expect(r.message).toMatch(new RegExp(`^usage: ${name}\\b`));
      expect(r.json).toEqual({ usage: r.message });
    });
  }
});
