// The local run history as a table: pick runs to compare, share one as a link, delete one (after a confirm).
// Every string from a run is rendered as React text, never as HTML.
import { Fragment, useState } from 'react';
import type { RunRecord } from '../../../runs/record.ts';
import { useRunsStore } from '../../../store/runs.ts';
import { formatCreated, formatMetric, keyResults, shortFingerprint } from './format-run.ts';
import { SharePane } from './SharePane.tsx';
import { RecipeExportPane } from './RecipeExport.tsx';

export function RunList() {
  const runs = useRunsStore((s) => s.runs);
  const selected = useRunsStore((s) => s.selected);
  const toggleSelected = useRunsStore((s) => s.toggleSelected);
  const setSelected = useRunsStore((s) => s.setSelected);
  const [sharing, setSharing] = useState<string | null>(null);
  const [exporting, setExporting] = useState<string | null>(null);

  if (runs.length === 0) {
    return (
      <div className="card runs-empty" data-testid="runs-empty">
        <h2>No runs in this browser yet</h2>
        <p>
          Training and evaluation runs appear here when they finish: their config and seed, the dataset&apos;s fingerprint, the metric
          curves and the evaluation tables. Import runs saved as JSON below, or open a shared <code>#run=</code> link, to see them here too.
        </p>
      </div>
    );
  }
  return (
    <div className="card">
      <div className="runs-list-head">
        <h2>Runs in this browser ({runs.length})</h2>
        <span className="muted">Tick runs to compare them below.</span>
        <span className="runs-spacer" />
        <button onClick={() => setSelected(runs.map((r) => r.id))} disabled={selected.length === runs.length}>Select all</button>
        <button onClick={() => setSelected([])} disabled={selected.length === 0}>Clear selection</button>
      </div>
      <div className="runs-scroll">
        <table className="data runs-table" data-testid="runs-table">
          <thead>
            <tr>
              <th className="runs-check" aria-label="compare" />
              <th>name</th>
              <th>kind</th>
              <th>created</th>
              <th>dataset</th>
              <th className="num">seed</th>
              <th>key results</th>
              <th className="runs-actions-col" aria-label="actions" />
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <Fragment key={run.id}>
                <RunRow
                  run={run}
                  checked={selected.includes(run.id)}
                  onToggle={() => toggleSelected(run.id)}
                  sharing={sharing === run.id}
                  onShare={() => setSharing(sharing === run.id ? null : run.id)}
                  exporting={exporting === run.id}
                  onExport={() => setExporting(exporting === run.id ? null : run.id)}
                />
                {sharing === run.id && (
                  <tr className="runs-share-row">
                    <td colSpan={8}>
                      <SharePane run={run} onClose={() => setSharing(null)} />
                    </td>
                  </tr>
                )}
                {exporting === run.id && (
                  <tr className="runs-share-row">
                    <td colSpan={8}>
                      <RecipeExportPane run={run} onClose={() => setExporting(null)} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function RunRow({
  run,
  checked,
  onToggle,
  sharing,
  onShare,
  exporting,
  onExport,
}: {
  run: RunRecord;
  checked: boolean;
  onToggle: () => void;
  sharing: boolean;
  onShare: () => void;
  exporting: boolean;
  onExport: () => void;
}) {
  const deleteRun = useRunsStore((s) => s.deleteRun);
  const [confirming, setConfirming] = useState(false);
  const results = keyResults(run);
  return (
    <tr data-testid={`run-row-${run.id}`} className={checked ? 'selected' : undefined}>
      <td className="runs-check">
        <input type="checkbox" checked={checked} onChange={onToggle} aria-label={`compare ${run.name}`} />
      </td>
      <td className="runs-name">
        <span className="runs-name-text" title={run.notes || run.name}>{run.name}</span>
        <span className="muted runs-id">{run.id}</span>
      </td>
      <td>
        <span className={`badge runs-kind runs-kind-${run.kind}`}>{run.kind}</span>
      </td>
      <td className="runs-nowrap">{formatCreated(run.createdAt)}</td>
      <td>
        {run.dataset.name || <span className="muted">unnamed</span>}{' '}
        <code className="runs-fp" title={run.dataset.fingerprint}>{shortFingerprint(run.dataset.fingerprint)}</code>
      </td>
      <td className="num">{run.config.seed}</td>
      <td>
        <div className="runs-results">
          {results.length === 0 ? (
            <span className="muted">none logged</span>
          ) : (
            results.map((r) => (
              <span key={r.label} className="runs-result">
                <span className="muted">{r.label}</span> <b>{formatMetric(r.value)}</b>
              </span>
            ))
          )}
        </div>
      </td>
      <td className="runs-actions">
        {confirming ? (
          <span className="runs-confirm" role="group" aria-label={`confirm deleting ${run.name}`}>
            Delete this run?{' '}
            <button className="danger" onClick={() => void deleteRun(run.id)}>Delete</button>{' '}
            <button onClick={() => setConfirming(false)}>Keep</button>
          </span>
        ) : (
          <>
            <button onClick={onShare} aria-expanded={sharing} aria-label={`share ${run.name}`}>Share</button>{' '}
            <button onClick={onExport} aria-expanded={exporting} aria-label={`export recipe of ${run.name}`}>Export recipe</button>{' '}
            <button onClick={() => setConfirming(true)} aria-label={`delete ${run.name}`}>Delete</button>
          </>
        )}
      </td>
    </tr>
  );
}
