// Path normalisation for everything that enters the lab: zip entry names, dropped folder paths and record image
// references. A path that climbs above its root (zip-slip) is refused, never clamped.

/** Normalises a path to '/'-separated segments without '.', '' or leading slashes; null when it escapes the root. */
export function normaliseEntryPath(raw: string): string | null {
  if (raw.includes('\0')) return null;
  let p = raw.replace(/\\/g, '/');
  // Absolute paths (POSIX root or a Windows drive) would be written outside any extraction root.
  if (p.startsWith('/') || /^[a-zA-Z]:/.test(p)) return null;
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) return null;
      out.pop();
      continue;
    }
    out.push(seg);
  }
  p = out.join('/');
  return p;
}

/**
 * Normalises an image reference written in a record: trims whitespace (SGG-VQA paths start with a space),
 * turns backslashes into slashes and drops leading './' (a leading '/' stays: resolution matches by suffix). Returns the repairs it made, in words.
 */
export function normaliseImageRef(raw: string): { path: string; repairs: string[] } {
  const repairs: string[] = [];
  let p = raw;
  const trimmed = p.trim();
  if (trimmed !== p) {
    repairs.push(/^\s/.test(p) ? 'image path leading space trimmed' : 'image path trailing space trimmed');
    p = trimmed;
  }
  if (p.includes('\\')) {
    p = p.replace(/\\/g, '/');
    repairs.push('image path backslashes turned into slashes');
  }
  p = p.replace(/^(\.\/)+/, '').replace(/\/{2,}/g, '/');
  return { path: p, repairs };
}
