// `lab inspect <path...> [--format <id>] [--no-hash] [--json <file>]`: reads files, folders and .zip archives
// exactly as the Data panel does (same intake, detection, validation) and reports what the lab would import.
// Exit 2 when nothing usable was found (no path, no recognised format, or no accepted record).
import { existsSync } from 'node:fs';
import { UsageError, type Command, withUsage } from '../command.ts';
import { intakeFromPaths } from '../../src/data/intake/node-files.ts';
import { loadDataset } from '../../src/data/load.ts';
import { FORMAT_READERS } from '../../src/data/formats/detect.ts';
import { DEFAULT_READ_CONFIG, type FormatId } from '../../src/data/formats/types.ts';

const USAGE = `usage: inspect <file|folder|zip>... [--format ${FORMAT_READERS.map((r) => r.id).join('|')}] [--no-hash] [--json <file>]`;

export const inspect: Command = withUsage(USAGE, async (args) => {
  const paths = args.positional;
  if (!paths.length) throw new UsageError(`inspect needs at least one path\n${USAGE}`);
  for (const p of paths) if (!existsSync(p)) throw new UsageError(`${p}: no such file or folder`);
  const format = args.options.get('format');
  if (format !== undefined && !FORMAT_READERS.some((r) => r.id === format)) {
    throw new UsageError(`--format must be one of ${FORMAT_READERS.map((r) => r.id).join(', ')}, got '${format}'`);
  }
  const files = await intakeFromPaths(paths);
  const loaded = await loadDataset(files, DEFAULT_READ_CONFIG, {
    format: format as FormatId | undefined,
    hashImages: args.options.get('no-hash') !== 'true',
  });
  const r = loaded.report;
  if (!loaded.detection) {
    const why = r.errors.slice(0, 3).map((e) => `${e.file}: ${e.message}`).join('; ');
    throw new UsageError(`no dataset recognised in ${paths.join(', ')} (${files.length} files)${why ? `: ${why}` : ''}`);
  }
  if (r.accepted === 0) {
    const why = r.errors.slice(0, 3).map((e) => `${e.file}${e.record === null ? '' : ` record ${e.record}`}${e.field ? ` ${e.field}` : ''}: ${e.message}`).join('; ');
    throw new UsageError(`${r.formatLabel}: no usable record among ${r.records}${why ? `: ${why}` : ''}`);
  }
  const preview = loaded.preview.map((o) => o.record ?? { file: o.file, record: o.index, errors: o.errors });
  const message =
    `${r.formatLabel} (confidence ${r.confidence.toFixed(2)}): ${r.records} records, ${r.accepted} accepted ` +
    `(${r.repaired} repaired), ${r.rejected} rejected; images ${r.images.found} found, ${r.images.missing} missing, ` +
    `${r.images.undecodable} undecodable; ${r.leakage.length} leaked images, ${r.duplicates.length} duplicate groups`;
  return { json: { ...r, preview }, message };
});
