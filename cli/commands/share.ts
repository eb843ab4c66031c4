// `lab share`: runs as URLs from the command line, with the app's own codec.
//   share encode <run.json> [--id <run id>] [--base <url>]   prints the URL (json: {url, bytes, dropped})
//   share decode <url> [--json <file>]                       writes the run, or exits 2 with the reason
import { UsageError, type Command, type CommandResult, withUsage } from '../command.ts';
import { readRunFile } from '../run-file.ts';
import { decodeRunUrl, DEFAULT_SHARE_BASE, encodeRunUrl } from '../../src/share/codec.ts';
import { ShareDecodeError } from '../../src/share/errors.ts';

const USAGE = 'usage: share encode <run.json> [--id <run id>] [--base <url>] | share decode <url> [--json <file>]';

function encode(file: string | undefined, id: string | undefined, base: string): CommandResult {
  if (!file) throw new UsageError(`share encode needs a run file\n${USAGE}`);
  const run = readRunFile(file, id);
  const { url, bytes, dropped } = encodeRunUrl(run, { base });
  return { json: { url, bytes, dropped }, message: url };
}

function decode(url: string | undefined): CommandResult {
  if (!url) throw new UsageError(`share decode needs a URL\n${USAGE}`);
  try {
    const run = decodeRunUrl(url);
    return { json: run, message: `run '${run.id}' (${run.kind}, ${run.history.points.length} points, ${run.evals.length} evaluations): ${run.name}` };
  } catch (err) {
    if (err instanceof ShareDecodeError) throw new UsageError(`${err.code}: ${err.message}`);
    throw err;
  }
}

export const share: Command = withUsage(USAGE, async (args) => {
  const [sub, target, ...extra] = args.positional;
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}\n${USAGE}`);
  const base = args.options.get('base') ?? DEFAULT_SHARE_BASE;
  if (base === 'true' || !/^https?:\/\//.test(base)) throw new UsageError(`--base must be an http(s) URL, got '${base}'`);
  if (sub === 'encode') return encode(target, args.options.get('id'), base);
  if (sub === 'decode') return decode(target);
  throw new UsageError(sub ? `unknown share action '${sub}'\n${USAGE}` : USAGE);
});
