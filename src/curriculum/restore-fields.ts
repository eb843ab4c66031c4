// Small checked readers for restore* functions: each takes an untrusted object and a field path, falls back
// to the default when the key is absent, and throws a ConfigError naming the source and the field otherwise.
// Shared by GrpoConfig, CurriculumConfig and AugmentConfig so their messages read the same.

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type Untrusted = Record<string, unknown>;

/** The object at `value`, or an empty one when absent; anything else is an error naming `where`. */
export function asObject(value: unknown, where: string): Untrusted {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`${where}: expected an object, got ${describe(value)}`);
  }
  return value as Untrusted;
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'number' ? String(value) : typeof value;
}

export interface NumberRange {
  min?: number;
  max?: number;
  /** Exclusive lower bound (e.g. temperature > 0). */
  above?: number;
  integer?: boolean;
}

export function readNumber(obj: Untrusted, key: string, fallback: number, where: string, range: NumberRange = {}): number {
  const v = obj[key];
  if (v === undefined) return fallback;
  const field = `${where}.${key}`;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new ConfigError(`${field}: expected a finite number, got ${describe(v)}`);
  }
  if (range.integer && !Number.isInteger(v)) throw new ConfigError(`${field}: expected an integer, got ${v}`);
  if (range.min !== undefined && v < range.min) throw new ConfigError(`${field}: must be >= ${range.min}, got ${v}`);
  if (range.max !== undefined && v > range.max) throw new ConfigError(`${field}: must be <= ${range.max}, got ${v}`);
  if (range.above !== undefined && v <= range.above) {
    throw new ConfigError(`${field}: must be > ${range.above}, got ${v}`);
  }
  return v;
}

export function readBoolean(obj: Untrusted, key: string, fallback: boolean, where: string): boolean {
  const v = obj[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new ConfigError(`${where}.${key}: expected true or false, got ${describe(v)}`);
  return v;
}

export function readEnum<T extends string>(
  obj: Untrusted,
  key: string,
  fallback: T,
  allowed: readonly T[],
  where: string,
): T {
  const v = obj[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new ConfigError(`${where}.${key}: expected one of ${allowed.join(' | ')}, got ${describe(v)}`);
  }
  return v as T;
}

export function readString(obj: Untrusted, key: string, fallback: string, where: string, maxLength = 1000): string {
  const v = obj[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'string') throw new ConfigError(`${where}.${key}: expected a string, got ${describe(v)}`);
  if (v.length > maxLength) throw new ConfigError(`${where}.${key}: longer than ${maxLength} characters`);
  return v;
}

/** Reads `version`; a version newer than the code knows is refused rather than half-read. */
export function readVersion(obj: Untrusted, current: number, where: string): number {
  const v = readNumber(obj, 'version', current, where, { integer: true, min: 1 });
  if (v > current) throw new ConfigError(`${where}.version: ${v} is newer than this lab understands (${current})`);
  return v;
}
