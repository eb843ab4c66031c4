// The command table. One file per command under cli/commands/.
import type { Command } from '../command.ts';
import { ablation } from './ablation.ts';
import { bench } from './bench.ts';
import { evaluate } from './eval.ts';
import { exportRecipe } from './export.ts';
import { info } from './info.ts';
import { inspect } from './inspect.ts';
import { share } from './share.ts';
import { train } from './train.ts';

export const commands: Record<string, Command> = {
  ablation,
  bench,
  eval: evaluate,
  export: exportRecipe,
  info,
  inspect,
  share,
  train,
};
