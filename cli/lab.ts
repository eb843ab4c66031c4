// `lab`: the headless face of the lab. Commands that need the GPU drive the built app in headless Chromium;
// pure ones import the same modules in Node. Every command takes `--json <file>`.
import { writeFileSync } from 'node:fs';
import { UsageError, parseArgs, type Command } from './command.ts';
import { commands } from './commands/index.ts';

const USAGE = `usage: npm run lab -- <command> [options] [--json <file>]
commands: ${Object.keys(commands).join(', ')}`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === 'help') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const command: Command | undefined = commands[name];
  if (!command) {
    console.error(`lab: unknown command '${name}'\n${USAGE}`);
    return 2;
  }
  const args = parseArgs(rest);
  try {
    const result = await command(args);
    const jsonPath = args.options.get('json');
    if (jsonPath) writeFileSync(jsonPath, JSON.stringify(result.json, null, 2) + '\n');
    console.log(result.message);
    return 0;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof UsageError) {
      console.error(`lab ${name}: ${message}`);
      return 2;
    }
    console.error(`lab ${name} failed: ${message}`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`lab: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
