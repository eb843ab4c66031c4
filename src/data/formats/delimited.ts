// A small RFC 4180 reader for CSV and TSV: quoted fields with doubled quotes and embedded newlines. Rows that
// end inside an open quote are reported, never silently merged with the rest of the file.

export interface DelimitedTable {
  header: string[];
  rows: string[][];
  /** Row index -> problem (unterminated quote). */
  rowErrors: Map<number, string>;
}

export function parseDelimited(text: string, sep: ',' | '\t'): DelimitedTable {
  const rows: string[][] = [];
  const rowErrors = new Map<number, string>();
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const n = text.length;
  const endRow = () => {
    row.push(field);
    field = '';
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    row = [];
  };
  while (i < n) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      i++;
    } else if (c === sep) {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\n' || c === '\r') {
      endRow();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  // The cut row is about to become rows[rows.length]; once the header is shifted off, its index is rows.length - 1.
  if (quoted) rowErrors.set(rows.length - 1, 'a quoted field is never closed (file truncated?)');
  if (field !== '' || row.length) endRow();
  const header = rows.shift() ?? [];
  return { header: header.map((h) => h.trim()), rows, rowErrors };
}
