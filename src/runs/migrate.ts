// Run-record migrations: RUN_MIGRATIONS[n] turns a version-n record into a version-(n + 1) one. A record
// without a version is treated as version 1 (the first shape). None exist yet; the path is exercised in tests.
import { RUN_RECORD_VERSION } from './record.ts';

export type Migration = (old: Record<string, unknown>) => Record<string, unknown>;

export const RUN_MIGRATIONS: Readonly<Record<number, Migration>> = {};

export class RunVersionError extends Error {
  override name = 'RunVersionError';
}

/** The record brought to RUN_RECORD_VERSION; a version newer than this lab knows, or with no path, throws. */
export function migrateRunRecord(
  raw: Record<string, unknown>,
  migrations: Readonly<Record<number, Migration>> = RUN_MIGRATIONS,
  current = RUN_RECORD_VERSION,
): Record<string, unknown> {
  let version = raw.version === undefined ? 1 : raw.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new RunVersionError(`field version: must be a positive integer, got ${JSON.stringify(version)}`);
  }
  if (version > current) throw new RunVersionError(`version ${version} was written by a newer lab (this one reads up to ${current})`);
  let record = { ...raw, version };
  while (version < current) {
    const step = migrations[version];
    if (!step) throw new RunVersionError(`no migration from version ${version} to ${version + 1}`);
    record = { ...step(record), version: version + 1 };
    version++;
  }
  return record;
}
