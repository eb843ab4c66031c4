// The first records of a drop as the lab reads them: each one read, repaired (with the repair named) or
// rejected (with file, record and field), before anything is stored.
import type { RecordOutcome } from '../../../data/index.ts';
import { RecordOptions } from './RecordOptions.tsx';

export function PreviewTable({ outcomes }: { outcomes: readonly RecordOutcome[] }) {
  return (
    <div className="data-preview" data-testid="preview">
      <h3>First records as the lab reads them</h3>
      <table className="data">
        <thead>
          <tr>
            <th>file · record</th>
            <th>status</th>
            <th>question and options</th>
            <th>image</th>
            <th>split · type · modality</th>
          </tr>
        </thead>
        <tbody>
          {outcomes.map((o) => (
            <tr key={`${o.file}#${o.index}`} data-testid="preview-row">
              <td className="data-where">
                {o.file} <span className="muted">#{o.index}</span>
              </td>
              <td>
                {!o.record ? <span className="badge warn">rejected</span> : o.repairs.length ? <span className="badge warn">repaired</span> : <span className="badge on">read</span>}
              </td>
              <td className="data-question-cell">
                {o.record && (
                  <>
                    <div className="data-question">{o.record.question}</div>
                    <RecordOptions record={o.record} />
                  </>
                )}
                {o.errors.map((m, i) => (
                  <IssueLine key={`e${i}`} kind="err" field={m.field} message={m.message} />
                ))}
                {o.repairs.map((m, i) => (
                  <IssueLine key={`r${i}`} kind="repair" field={m.field} message={m.message} />
                ))}
                {o.warnings.map((m, i) => (
                  <IssueLine key={`w${i}`} kind="warn" field={m.field} message={m.message} />
                ))}
              </td>
              <td className="data-where">{o.record?.image || '—'}</td>
              <td>{o.record ? [o.record.split, o.record.questionType, o.record.modality].filter(Boolean).join(' · ') : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function IssueLine({ kind, field, message }: { kind: 'err' | 'repair' | 'warn'; field: string; message: string }) {
  const word = kind === 'err' ? 'error' : kind === 'repair' ? 'repaired' : 'note';
  return (
    <div className={`data-issue-line ${kind}`}>
      <span className="data-issue-kind">{word}</span> {field && <code>{field}</code>} {message}
    </div>
  );
}
