// A walk over parsed JSON before any schema sees it: keys that could pollute a prototype when a parser
// assigns them ('__proto__', 'constructor', 'prototype') and nesting deeper than any run record needs are
// refused, with the path where they were found.

export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Nesting deeper than this is refused (a run record needs about 8). */
export const MAX_JSON_DEPTH = 32;

export class JsonGuardError extends Error {
  override name = 'JsonGuardError';
  constructor(
    message: string,
    /** Dotted path of the offending key or value. */
    readonly path: string,
    readonly kind: 'forbidden-key' | 'too-deep' | 'not-json',
  ) {
    super(message);
  }
}

/** Throws JsonGuardError when `value` holds a forbidden key, is nested too deep, or is not plain JSON data. */
export function guardJson(value: unknown, path = '', depth = 0): void {
  if (depth > MAX_JSON_DEPTH) throw new JsonGuardError(`nested deeper than ${MAX_JSON_DEPTH} levels at '${path}'`, path, 'too-deep');
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => guardJson(v, path ? `${path}.${i}` : String(i), depth + 1));
    return;
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw new JsonGuardError(`'${path}' is not a plain object`, path, 'not-json');
    for (const key of Reflect.ownKeys(value)) {
      if (typeof key !== 'string') throw new JsonGuardError(`'${path}' has a symbol key`, path, 'not-json');
      const at = path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) throw new JsonGuardError(`forbidden key '${key}' at '${at}'`, at, 'forbidden-key');
      guardJson((value as Record<string, unknown>)[key], at, depth + 1);
    }
    return;
  }
  throw new JsonGuardError(`'${path}' holds a ${typeof value}, which JSON cannot`, path, 'not-json');
}
