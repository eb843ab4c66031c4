// Importing runs from JSON files (the lab's own export, an array of runs, or one run), by file dialog or by
// dropping files here. Each file gets its own report; a refused run is named by file, run and field.
import { useRef, useState } from 'react';
import { useRunsStore } from '../../../store/runs.ts';

export function ImportCard() {
  const importFiles = useRunsStore((s) => s.importFiles);
  const imports = useRunsStore((s) => s.imports);
  const dismiss = useRunsStore((s) => s.dismissImports);
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
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
      <div
        className={`runs-drop${over ? ' over' : ''}`}
        data-testid="runs-drop"
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          void take([...e.dataTransfer.files]);
        }}
      >
        <span>Drop run JSON files here (exported from this lab: one run, a list, or a bundle), or</span>
        <button onClick={() => input.current?.click()} disabled={busy}>Choose JSON files…</button>
        {busy && <span className="muted">reading…</span>}
        <input
          ref={input}
          type="file"
          accept=".json,application/json"
          multiple
          hidden
          data-testid="runs-import-input"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            void take(files);
          }}
        />
      </div>
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
