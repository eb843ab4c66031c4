// A small YAML emitter for the exported trainer configs (no YAML package is installed). It writes only what
// the configs hold: nested maps, lists of scalars, strings, numbers, booleans and null, with every string that
// YAML could read as something else quoted, so OmegaConf/PyYAML read back exactly the values written.

export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

/** Plain scalars that YAML 1.1 (PyYAML) would not read as a string. */
const RESERVED = /^(true|false|yes|no|on|off|y|n|null|~|)$/i;
const NUMBER_LIKE = /^[-+]?(\.?\d|\.inf|\.nan)/i;
const SAFE_PLAIN = /^[A-Za-z_./][A-Za-z0-9_./@:+-]*$/;

export function yamlScalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`yaml: cannot write non-finite number ${value}`);
    // PyYAML reads 1e-05 as a string: a float needs a dot before the exponent (1.0e-05).
    const s = String(value);
    return /e/i.test(s) && !s.includes('.') ? s.replace(/e/i, '.0e') : s;
  }
  if (SAFE_PLAIN.test(value) && !RESERVED.test(value) && !NUMBER_LIKE.test(value) && !value.includes(': ') && !value.endsWith(':')) return value;
  return JSON.stringify(value);
}

function keyText(key: string): string {
  return SAFE_PLAIN.test(key) && !RESERVED.test(key) ? key : JSON.stringify(key);
}

function emit(value: YamlValue, indent: number, lines: string[], prefix: string): void {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.some((v) => v !== null && typeof v === 'object')) throw new Error('yaml: lists of maps or lists are not supported');
    lines.push(`${prefix}[${value.map((v) => yamlScalar(v as string | number | boolean | null)).join(', ')}]`);
    return;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (prefix !== '') {
      if (entries.length === 0) {
        lines.push(`${prefix}{}`);
        return;
      }
      lines.push(prefix.trimEnd());
    }
    for (const [k, v] of entries) {
      const head = `${pad}${keyText(k)}: `;
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) emit(v, indent + 2, lines, head);
      else emit(v, indent + 2, lines, head);
    }
    return;
  }
  lines.push(`${prefix}${yamlScalar(value)}`);
}

/** A YAML document for a map, with optional leading comment lines. */
export function toYaml(doc: { [key: string]: YamlValue }, comments: readonly string[] = []): string {
  const lines = comments.map((c) => `# ${c}`);
  emit(doc, 0, lines, '');
  return lines.join('\n') + '\n';
}
