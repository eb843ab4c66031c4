// Counts as a small table with proportional bars: records per split, question type, modality, anatomy, source.
import { sortedCounts } from './format-data.ts';

const MAX_ROWS = 12;

export function CountBars({ title, counts, testId }: { title: string; counts: Record<string, number>; testId?: string }) {
  const rows = sortedCounts(counts);
  const max = Math.max(1, ...rows.map(([, n]) => n));
  const rest = rows.slice(MAX_ROWS);
  return (
    <figure className="data-counts" data-testid={testId}>
      <figcaption>{title}</figcaption>
      {rows.length === 0 && <p className="muted">none</p>}
      <table>
        <tbody>
          {rows.slice(0, MAX_ROWS).map(([label, n]) => (
            <tr key={label}>
              <td className="data-count-label" title={label}>{label}</td>
              <td className="data-count-bar">
                <span style={{ width: `${((100 * n) / max).toFixed(1)}%` }} />
              </td>
              <td className="num">{n.toLocaleString()}</td>
            </tr>
          ))}
          {rest.length > 0 && (
            <tr>
              <td className="muted" colSpan={3}>
                and {rest.length} more ({rest.reduce((s, [, n]) => s + n, 0).toLocaleString()} records)
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </figure>
  );
}

/** The five breakdowns side by side. */
export function CountGrid({ counts }: { counts: { bySplit: Record<string, number>; byQuestionType: Record<string, number>; byModality: Record<string, number>; byAnatomy: Record<string, number>; bySource: Record<string, number> } }) {
  return (
    <div className="data-count-grid">
      <CountBars title="split" counts={counts.bySplit} testId="counts-split" />
      <CountBars title="question type" counts={counts.byQuestionType} testId="counts-type" />
      <CountBars title="modality" counts={counts.byModality} testId="counts-modality" />
      <CountBars title="anatomy" counts={counts.byAnatomy} testId="counts-anatomy" />
      <CountBars title="source" counts={counts.bySource} testId="counts-source" />
    </div>
  );
}
