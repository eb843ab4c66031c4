// Importing runs from JSON files (the lab's own export, an array of runs, or one run), by file dialog or by
// dropping files here. Each file gets its own report; a refused run is named by file, run and field.
import { useState } from 'react';
import { FileDrop } from '../../widgets/FileDrop.tsx';
import { useRunsStore } from '../../../store/runs.ts';

export function ImportCard() {
  const importFiles = useRunsStore((s) => s.importFiles);
  const imports = useRunsStore((s) => s.imports);
  const dismiss = useRunsStore((s) => s.dismissImports);
  const [busy, setBusy] = useState(false);
  const take = async (files: File[]) => {
    if (files.length === 0) return;
    setBusy(true);
    try {
      await importFiles(files);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="card" data-testid="runs-import">
      <h2>Import runs</h2>
      <FileDrop
        testId="runs-drop"
        inputTestId="runs-import-input"
        label="Drop run JSON files here (exported from this lab: one run, a list, or a bundle), or"
        button="Choose JSON files…"
        accept=".json,application/json"
        multiple
        busy={busy}
        onFiles={(files) => void take(files)}
      />
      {imports.length > 0 && (
        <div className="runs-import-reports" data-testid="import-reports" aria-live="polite">
          {imports.map((r, i) => (
            <div key={`${i}-${r.file}`} className={`runs-import-report ${r.errors.length > 0 ? (r.imported.length > 0 ? 'warn' : 'error') : 'ok'}`}>
              <b>{r.file}</b>:{' '}
              {r.imported.length === 0
                ? 'no runs imported'
                : `imported ${r.imported.length === 1 ? '1 run' : `${r.imported.length} runs`}${r.replaced > 0 ? ` (${r.replaced} replaced a run with the same id)` : ''}`}
              {r.errors.length > 0 && (
                <ul>
                  {r.errors.map((e, j) => (
                    <li key={j}>{e}</li>
                  ))}
                </ul>
              )}
            </div>
          ))}
          <button className="link" onClick={dismiss}>Dismiss</button>
        </div>
      )}
    </div>
  );
}
