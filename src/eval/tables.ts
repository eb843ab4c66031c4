// Evaluation tables in the VLMEvalKit manner: one row per evaluated policy (or run), 'Overall' first, then
// one column per question type, modality, anatomy label and source dataset. A missing cell is null, not 0.
import { CATEGORY_DIMENSIONS, type CategoryDimension, type EvalReport } from './report.ts';

export interface TableColumn {
  /** 'overall' for the first column, else the breakdown the label belongs to. */
  dimension: 'overall' | CategoryDimension;
  /** Column title ('Overall', 'CT', 'Liver', 'VQA-RAD', ...). */
  label: string;
}

export interface AccuracyTable {
  /** Metric label the cells hold ('greedy', 'avg@5', 'circular', 'likelihood'). */
  metric: string;
  columns: TableColumn[];
  /** values[c] in [0, 1]; n[c] questions behind it; null where the row has no such column or metric, or no question. */
  rows: Array<{ name: string; values: (number | null)[]; n: (number | null)[] }>;
}

/** One table for one metric over any number of reports; columns are the union, in a stable order. */
export function accuracyTable(entries: ReadonlyArray<{ name: string; report: EvalReport }>, metric: string): AccuracyTable {
  const columns: TableColumn[] = [{ dimension: 'overall', label: 'Overall' }];
  for (const dimension of CATEGORY_DIMENSIONS) {
    const labels = new Set<string>();
    for (const { report } of entries) for (const label of Object.keys(report.byCategory[dimension] ?? {})) labels.add(label);
    for (const label of [...labels].sort()) columns.push({ dimension, label });
  }
  const rows = entries.map(({ name, report }) => {
    const cells = columns.map((c) => {
      const group = c.dimension === 'overall' ? report.overall : report.byCategory[c.dimension]?.[c.label];
      return group?.metrics[metric] ?? null;
    });
    // A cell over no questions (CircularEval or question-only on a group of open questions) measured nothing: '-', not 0.
    return { name, values: cells.map((c) => (c && c.n > 0 ? c.value : null)), n: cells.map((c) => c?.n ?? null) };
  });
  return { metric, columns, rows };
}

/** A Markdown table, percentages with one decimal, '-' for missing cells. */
export function formatAccuracyTable(table: AccuracyTable): string {
  const header = ['', ...table.columns.map((c) => c.label)];
  const lines = [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...table.rows.map((r) => `| ${[r.name, ...r.values.map((v) => (v === null ? '-' : (100 * v).toFixed(1)))].join(' | ')} |`),
  ];
  return lines.join('\n');
}
