// The comparison of the runs ticked in the list, and their export as files: JSON (the lab's bundle, which
// import reads back), metric histories as CSV in long or wide layout, and evaluation tables as CSV.
import { useMemo } from 'react';
import { evalTablesCsv, exportRunsJson, metricsCsv } from '../../../runs/export.ts';
import { useRunsStore } from '../../../store/runs.ts';
import { downloadFile, fileStamp } from '../../widgets/download.ts';
import { RunComparison } from './RunComparison.tsx';

export function ComparePane() {
  const runs = useRunsStore((s) => s.runs);
  const selected = useRunsStore((s) => s.selected);
  const chosen = useMemo(() => selected.flatMap((id) => runs.filter((r) => r.id === id)), [runs, selected]);
  if (runs.length === 0) return null;
  if (chosen.length === 0) {
    return (
      <div className="card runs-hint">
        <h2>Compare and export</h2>
        <p className="muted">Tick one or more runs above to overlay their curves, diff their configs and results, and export them.</p>
      </div>
    );
  }
  const stamp = (): string => fileStamp();
  const name = chosen.length === 1 ? 'run' : `${chosen.length}-runs`;
  return (
    <div className="card" data-testid="compare-pane">
      <div className="runs-list-head">
        <h2>{chosen.length === 1 ? 'One run' : `Comparing ${chosen.length} runs`}</h2>
        <span className="runs-spacer" />
        <span className="muted">Export the selection:</span>
        <button onClick={() => downloadFile(`${name}-${stamp()}.json`, exportRunsJson(chosen), 'application/json')}>JSON</button>
        <button onClick={() => downloadFile(`${name}-metrics-long-${stamp()}.csv`, metricsCsv(chosen, 'long'), 'text/csv')}>Metrics CSV (long)</button>
        <button onClick={() => downloadFile(`${name}-metrics-wide-${stamp()}.csv`, metricsCsv(chosen, 'wide'), 'text/csv')}>Metrics CSV (wide)</button>
        <button onClick={() => downloadFile(`${name}-eval-tables-${stamp()}.csv`, evalTablesCsv(chosen), 'text/csv')} disabled={chosen.every((r) => r.evals.length === 0)}>
          Evaluation CSV
        </button>
      </div>
      <RunComparison runs={chosen} idPrefix="compare" />
    </div>
  );
}
