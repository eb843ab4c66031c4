// The command table. One file per command under cli/commands/.
import type { Command } from '../command.ts';
import { info } from './info.ts';

export const commands: Record<string, Command> = {
  info,
};
