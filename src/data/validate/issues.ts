// The words the lab uses for what is wrong with a dataset: every problem names the file, the record index
// (null when it is about the whole file), the field ('' when none) and the reason.

/** One problem found while reading a dataset. */
export interface DataIssue {
  /** Root-relative path of the file the problem is in. */
  file: string;
  /** 0-based record index within that file; null when the problem concerns the whole file or archive. */
  record: number | null;
  /** Field name as the source spells it ('' when the problem is not about one field). */
  field: string;
  /** What is wrong, in words a researcher can act on. */
  message: string;
}

/** A change the lab made to make a record usable, named so a researcher can check it. */
export interface DataRepair {
  file: string;
  record: number;
  field: string;
  /** e.g. 'gt_answer matched option C after normalising case/trailing period'. */
  message: string;
}

export function issue(file: string, record: number | null, field: string, message: string): DataIssue {
  return { file, record, field, message };
}

/** Shortens a value for inclusion in a message, so a 10 MB field does not become a 10 MB error. */
export function preview(value: unknown, max = 60): string {
  let s: string;
  if (typeof value === 'string') s = JSON.stringify(value);
  else if (value === undefined) s = 'undefined';
  else {
    try {
      s = JSON.stringify(value) ?? String(value);
    } catch {
      s = String(value);
    }
  }
  return s.length > max ? `${s.slice(0, max)}… (${s.length} chars)` : s;
}

/** Type of a JSON value in words ('array', 'null', 'string', ...). */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
