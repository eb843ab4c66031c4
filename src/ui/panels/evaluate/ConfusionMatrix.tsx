// Gold anatomy label (rows) against the label the model's greedy answer named (columns), with an "other answer"
// and a "could not extract" column. A non-empty cell is a button that opens its questions: images, question,
// options and the model's answer.
import { useEvaluationStore } from '../../../store/evaluation.ts';
import type { EvalRunResult } from '../../../worker/eval-protocol.ts';
import { AnswerCard } from './AnswerCard.tsx';

const MAX_SHOWN = 24;

export function ConfusionMatrix({ result }: { result: EvalRunResult }) {
  const cell = useEvaluationStore((s) => s.cell);
  const thumbs = useEvaluationStore((s) => s.thumbs);
  const openCell = useEvaluationStore((s) => s.openCell);
  const closeCell = useEvaluationStore((s) => s.closeCell);
  const m = result.report.confusion;
  if (!m) {
    return (
      <div className="card" data-testid="eval-confusion">
        <h2>Confusion over anatomy labels</h2>
        <p className="muted">No matrix: the evaluated records carry no anatomy label, or greedy decoding did not run.</p>
      </div>
    );
  }
  const max = Math.max(1, ...m.counts.flat());
  const byId = new Map(result.records.map((r) => [r.id, r]));
  const ids = cell ? (m.ids[cell.row]?.[cell.column] ?? []) : [];
  return (
    <div className="card" data-testid="eval-confusion">
      <h2>Confusion over anatomy labels</h2>
      <p className="muted">Rows: gold anatomy. Columns: the anatomy the greedy answer named. Click a cell to see its questions.</p>
      <div className="eval-scroll">
        <table className="eval-matrix">
          <thead>
            <tr>
              <th className="eval-corner">gold ↓ · answered →</th>
              {m.columns.map((c) => (
                <th key={c} className="eval-col-label">
                  <span>{c}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {m.labels.map((label, row) => (
              <tr key={label}>
                <th className="eval-row-label">{label}</th>
                {m.columns.map((column, col) => {
                  const n = m.counts[row][col];
                  const diagonal = col === row;
                  const open = cell?.row === row && cell.column === col;
                  const shade = n === 0 ? 0 : 0.15 + (0.85 * n) / max;
                  const style = n === 0 ? undefined : { background: diagonal ? `rgba(15, 118, 110, ${shade})` : `rgba(194, 65, 12, ${shade})`, color: shade > 0.55 ? '#fff' : undefined };
                  return (
                    <td key={column} className={`eval-cell${open ? ' open' : ''}`} style={style}>
                      {n > 0 ? (
                        <button
                          className="eval-cell-button"
                          aria-label={`${n} question(s): gold ${label}, answered ${column}`}
                          onClick={() => (open ? closeCell() : void openCell(row, col))}
                        >
                          {n}
                        </button>
                      ) : (
                        <span className="eval-zero">·</span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {cell && (
        <div className="eval-cell-detail" data-testid="eval-cell-detail">
          <div className="row">
            <h3>
              Gold {m.labels[cell.row]}, answered {m.columns[cell.column]}: {ids.length} question(s)
            </h3>
            <span className="eval-spacer" />
            <button onClick={closeCell}>Close</button>
          </div>
          {ids.length > MAX_SHOWN && <p className="muted">Showing the first {MAX_SHOWN}.</p>}
          <ul className="eval-answers">
            {ids.slice(0, MAX_SHOWN).map((id) => {
              const record = byId.get(id);
              return record ? <AnswerCard key={id} record={record} completion={result.answers[id]?.completion} thumb={thumbs[record.image]} /> : null;
            })}
          </ul>
        </div>
      )}
    </div>
  );
}
