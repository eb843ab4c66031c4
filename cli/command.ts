// The contract every `lab` command keeps: parsed arguments in, a JSON-able result and a one-line message out.
// Exit codes are part of the interface others build on: 0 success, 1 failure, 2 bad input.

export interface ParsedArgs {
  /** Positional arguments after the command name (for `share encode x`, ['encode', 'x']). */
  positional: string[];
  /** `--name value` and `--flag` options; a flag without a value is 'true'. */
  options: Map<string, string>;
}

export interface CommandResult {
  /** Written to the `--json` file when given. */
  json: unknown;
  /** The one-line human summary printed last. */
  message: string;
}

/** Bad input from the user: exit code 2, with this message. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export type Command = (args: ParsedArgs) => Promise<CommandResult>;

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 2) {
        options.set(a.slice(2, eq), a.slice(eq + 1));
      } else {
        const next = argv[i + 1];
        if (next !== undefined && !next.startsWith('--')) {
          options.set(a.slice(2), next);
          i++;
        } else {
          options.set(a.slice(2), 'true');
        }
      }
    } else {
      positional.push(a);
    }
  }
  return { positional, options };
}

/** An integer option within [min, max], or the default; anything else is a UsageError naming the flag. */
export function intOption(args: ParsedArgs, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = args.options.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be an integer in [${min}, ${max}], got '${raw}'`);
  }
  return n;
}

/** A string option restricted to a set of choices. */
export function choiceOption<T extends string>(args: ParsedArgs, name: string, choices: readonly T[], fallback: T): T {
  const raw = args.options.get(name);
  if (raw === undefined) return fallback;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got '${raw}'`);
  }
  return raw as T;
}

/**
 * A command that answers `--help` with its usage line (exit 0) before reading any other flag: without this a
 * `lab train --help` would quietly start a training with every default.
 */
export function withUsage(usage: string, run: Command): Command {
  return async (args) => (args.options.has('help') ? { json: { usage }, message: usage } : run(args));
}
