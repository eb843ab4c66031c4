// "Import results": metrics logs from the cluster trainers (verl/EasyR1 console or JSONL, TRL trainer_state.json,
// W&B/Trackio CSV), dropped or picked, become runs in the list with the lab's metric names, ticked for comparison
// and shareable like any run. The export's manifest.json, dropped beside a log, ties it back to its lab run.
import { useState } from 'react';
import { FileDrop } from '../../widgets/FileDrop.tsx';
import type { SourceTrainer } from '../../../recipe/import/metric-names.ts';
import { useRecipeStore, type ResultsImportReport } from '../../../store/recipe.ts';

const FORMAT_WORDS: Record<NonNullable<ResultsImportReport['kind']>, string> = {
  manifest: 'recipe manifest',
  'verl-console': 'verl console log',
  'easyr1-console': 'EasyR1 console log',
  jsonl: 'JSONL metrics',
  'trainer-state': 'trainer_state.json',
  csv: 'CSV export',
};
const TRAINER_WORDS: Record<SourceTrainer, string> = { verl: 'verl', easyr1: 'EasyR1', trl: 'TRL' };

export function ImportResults() {
  const importResults = useRecipeStore((s) => s.importResults);
  const importing = useRecipeStore((s) => s.importing);
  const reports = useRecipeStore((s) => s.imports);
  const dismiss = useRecipeStore((s) => s.dismissImports);
  const [trainer, setTrainer] = useState<SourceTrainer | ''>('');
  const take = (files: File[]) => {
    if (files.length > 0) void importResults(files, trainer || undefined);
  };
  return (
    <div className="card" data-testid="results-import">
      <h2>Import results from a cluster trainer</h2>
      <p className="muted recipe-lede">
        A run exported as a recipe and trained with EasyR1, verl or TRL comes back here as a run: its metric names are mapped to the lab&apos;s (TRL&apos;s), so its curves
        sit beside in-browser runs and it can be shared as a link. Drop the <code>manifest.json</code> of the export with the log to tie it to the lab run and dataset.
      </p>
      <FileDrop
        className="runs-drop recipe-drop"
        testId="results-drop"
        inputTestId="results-import-input"
        label={<>Drop metrics logs here: verl/EasyR1 console output or JSONL, TRL <code>trainer_state.json</code>, a W&amp;B or Trackio CSV; or</>}
        button="Choose log files…"
        accept=".json,.jsonl,.log,.txt,.csv,application/json,text/plain,text/csv"
        multiple
        busy={importing}
        onFiles={take}
        extra={
          <label className="recipe-trainer">
            <span className="muted">metric names</span>
            <select value={trainer} onChange={(e) => setTrainer(e.target.value as SourceTrainer | '')} aria-label="metric names of">
              <option value="">recognise</option>
              <option value="verl">verl</option>
              <option value="easyr1">EasyR1</option>
              <option value="trl">TRL</option>
            </select>
          </label>
        }
      />
      {reports.length > 0 && (
        <div className="runs-import-reports" data-testid="results-reports" aria-live="polite">
          {reports.map((r, i) => (
            <ReportLine key={`${i}-${r.file}`} r={r} />
          ))}
          <button className="link" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}

function ReportLine({ r }: { r: ResultsImportReport }) {
  const state = r.errors.length > 0 ? (r.runs.length > 0 || (r.kind === 'manifest' && r.linkedTo) ? 'warn' : 'error') : 'ok';
  let summary: string;
  if (r.kind === 'manifest') summary = r.linkedTo ? `manifest of ${r.linkedTo}` : 'manifest not used';
  else if (r.runs.length === 0) summary = 'no run imported';
  else {
    const what = r.kind ? FORMAT_WORDS[r.kind] : 'log';
    const names = r.trainer ? `, ${TRAINER_WORDS[r.trainer]} metric names mapped` : '';
    summary = `${r.runs.length === 1 ? '1 run' : `${r.runs.length} runs`} imported (${what}${names})`;
  }
  return (
    <div className={`runs-import-report ${state}`}>
      <b>{r.file}</b>: {summary}
      {r.runs.length > 0 && (
        <ul className="recipe-import-runs">
          {r.runs.map((run) => (
            <li key={run.id}>
              <b>{run.name}</b>: {run.steps} logged {run.steps === 1 ? 'step' : 'steps'}, {run.metrics.length} metrics
              {run.metrics.length > 0 && <span className="muted"> ({shortList(run.metrics)})</span>}
              {r.linkedTo && r.kind !== 'manifest' && <span className="muted">; tied to {r.linkedTo}</span>}
            </li>
          ))}
        </ul>
      )}
      {r.errors.length > 0 && (
        <ul>
          {r.errors.map((e, j) => (
            <li key={j}>{e}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The first few names, then how many more: a long metric list should not push the page around. */
function shortList(names: readonly string[], max = 6): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
