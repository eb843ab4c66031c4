// Problems with a dataset, one row each naming file, record and field: paginated and filterable, since a bad
// export can produce thousands. IssueList is the short form for a handful of whole-file problems.
import { useMemo, useState } from 'react';
import type { DataIssue } from '../../../data/index.ts';

const PAGE = 25;

export function IssueTable({ title, issues, total, testId }: { title: string; issues: readonly DataIssue[]; total: number; testId: string }) {
  const [filter, setFilter] = useState('');
  const [page, setPage] = useState(0);
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    if (!f) return issues;
    return issues.filter((i) => `${i.file} ${i.record ?? ''} ${i.field} ${i.message}`.toLowerCase().includes(f));
  }, [issues, filter]);
  const pages = Math.max(1, Math.ceil(shown.length / PAGE));
  const at = Math.min(page, pages - 1);
  return (
    <div className="data-issues" data-testid={testId}>
      <div className="data-card-head">
        <h3>
          {title} <span className="muted">({total.toLocaleString()}{total > issues.length ? `, first ${issues.length.toLocaleString()} listed` : ''})</span>
        </h3>
        <input
          type="text"
          placeholder="filter by file, field or words"
          value={filter}
          onChange={(e) => {
            setFilter(e.target.value);
            setPage(0);
          }}
          aria-label={`Filter ${title}`}
        />
      </div>
      <table className="data">
        <thead>
          <tr>
            <th>file</th>
            <th className="num">record</th>
            <th>field</th>
            <th>message</th>
          </tr>
        </thead>
        <tbody>
          {shown.slice(at * PAGE, (at + 1) * PAGE).map((i, k) => (
            <tr key={k} data-testid="issue-row">
              <td className="data-where">{i.file || '—'}</td>
              <td className="num">{i.record === null ? 'whole file' : i.record}</td>
              <td>{i.field ? <code>{i.field}</code> : '—'}</td>
              <td>{i.message}</td>
            </tr>
          ))}
          {shown.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">Nothing matches the filter.</td>
            </tr>
          )}
        </tbody>
      </table>
      {pages > 1 && <Pager page={at} pages={pages} onPage={setPage} />}
    </div>
  );
}

export function Pager({ page, pages, onPage, label }: { page: number; pages: number; onPage: (p: number) => void; label?: string }) {
  return (
    <div className="row data-pager">
      <button onClick={() => onPage(page - 1)} disabled={page <= 0}>‹ Previous</button>
      <span className="muted">{label ?? `page ${page + 1} of ${pages}`}</span>
      <button onClick={() => onPage(page + 1)} disabled={page >= pages - 1}>Next ›</button>
    </div>
  );
}

export function IssueList({ title, issues }: { title: string; issues: readonly DataIssue[] }) {
  return (
    <div className="data-issue-list">
      <h3>{title}</h3>
      <ul>
        {issues.slice(0, 20).map((i, k) => (
          <li key={k}>
            <span className="data-where">{i.file || '(drop)'}</span>
            {i.record !== null && <> record {i.record}</>}
            {i.field && <> <code>{i.field}</code></>}: {i.message}
          </li>
        ))}
        {issues.length > 20 && <li className="muted">and {issues.length - 20} more</li>}
      </ul>
    </div>
  );
}
