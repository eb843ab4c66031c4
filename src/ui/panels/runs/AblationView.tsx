// The Runs panel's Ablation card: GRPO, GRPO+ASCL, GRPO+GDQA and GRPO+both side by side, either from an imported
// `lab ablation` JSON file (validated, kept in IndexedDB) or from the training runs kept in this browser, grouped
// into comparable sets (same dataset, preset and GRPO steps) with the method read from each run's config.
import { useMemo, useState } from 'react';
import { FileDrop } from '../../widgets/FileDrop.tsx';
import { ablationFromRunRecords } from '../../../runs/ablation.ts';
import { useRunsStore } from '../../../store/runs.ts';
import { AblationCharts, AblationTable } from './AblationCharts.tsx';
import { formatCreated } from './format-run.ts';

type Source = 'imported' | 'local';

const DEFINITIONS =
  'Accuracy is the greedy test accuracy after training, mean ± sample standard deviation (n - 1) over seeds. ' +
  'Final values are the mean over seeds of each run’s mean over its last 10% of steps. Curves are means over seeds.';

export function AblationView() {
  const ablations = useRunsStore((s) => s.ablations);
  const runs = useRunsStore((s) => s.runs);
  const [source, setSource] = useState<Source | null>(null);
  // Until the user picks, show an imported ablation when there is one.
  const shown: Source = source ?? (ablations.length > 0 ? 'imported' : 'local');
  return (
    <div className="card" data-testid="ablation-view">
      <div className="runs-list-head">
        <h2>Ablation</h2>
        <span className="muted">GRPO, GRPO+ASCL, GRPO+GDQA and GRPO+both over the same seeds</span>
        <span className="runs-spacer" />
        <div role="radiogroup" aria-label="ablation source" className="runs-metric-picker" style={{ margin: 0 }}>
          {(['imported', 'local'] as const).map((s) => (
            <label key={s} className={shown === s ? 'runs-chip on' : 'runs-chip'}>
              <input type="radio" name="ablation-source" checked={shown === s} onChange={() => setSource(s)} />
              {s === 'imported' ? `imported files (${ablations.length})` : `training runs in this browser (${runs.filter((r) => r.kind === 'train').length})`}
            </label>
          ))}
        </div>
      </div>
      <AblationImport onImported={() => setSource('imported')} />
      {shown === 'imported' ? <ImportedAblation /> : <LocalAblation />}
      <p className="muted" style={{ marginBottom: 0 }}>{DEFINITIONS}</p>
    </div>
  );
}

/** The drop zone and the last import's report; a good import switches the view to it. */
function AblationImport({ onImported }: { onImported: () => void }) {
  const report = useRunsStore((s) => s.ablationImport);
  const importAblation = useRunsStore((s) => s.importAblation);
  const take = async (files: File[]) => {
    for (const f of files) await importAblation(f);
    if (useRunsStore.getState().ablationImport?.ok) onImported();
  };
  return (
    <>
      <FileDrop
        testId="ablation-drop"
        inputTestId="ablation-import-input"
        label={<>Drop a <code>lab ablation --json</code> file here, or</>}
        button="Choose ablation JSON…"
        accept=".json,application/json"
        onFiles={(files) => void take(files)}
      />
      {report && (
        <div className={`runs-import-report ${report.ok ? 'ok' : 'error'}`} style={{ marginTop: 8 }} data-testid="ablation-import-report" role={report.ok ? 'status' : 'alert'}>
          {report.message}
        </div>
      )}
    </>
  );
}

function ImportedAblation() {
  const ablations = useRunsStore((s) => s.ablations);
  const invalid = useRunsStore((s) => s.invalidAblations);
  const deleteAblation = useRunsStore((s) => s.deleteAblation);
  const [picked, setPicked] = useState<string | null>(null);
  // A new import goes to the top of the list: show it.
  const newest = ablations[0]?.id;
  const [seenNewest, setSeenNewest] = useState(newest);
  if (newest !== seenNewest) {
    setSeenNewest(newest);
    setPicked(null);
  }
  const current = ablations.find((a) => a.id === picked) ?? ablations[0];
  const config = current?.result.config;
  const facts = current
    ? [
        `${current.result.runs.length} runs`,
        config && `${String(config.preset ?? '?')} · ${String(config.steps ?? '?')} steps · ${config.seeds === 1 ? '1 seed' : `${String(config.seeds ?? '?')} seeds`} · dataset ${String(config.dataset ?? '?')}`,
        config?.asclMode !== undefined && `ASCL mode ${String(config.asclMode)}`,
        config?.gdqaApplyTo !== undefined && `GDQA on ${String(config.gdqaApplyTo)} groups`,
        current.result.runtime && `trained on ${current.result.runtime}`,
        current.result.createdAt && `made ${formatCreated(current.result.createdAt)}`,
      ].filter(Boolean).join(' · ')
    : '';
  return (
    <>
      {invalid.length > 0 && (
        <div className="runs-alert warn" style={{ marginTop: 8 }}>
          {invalid.length === 1 ? 'One stored ablation could not be read' : `${invalid.length} stored ablations could not be read`} (left in storage):
          <ul>
            {invalid.map((x) => (
              <li key={x.key}>{x.message}</li>
            ))}
          </ul>
        </div>
      )}
      {!current ? (
        <p className="muted">No ablation imported yet. Run <code>npm run lab -- ablation --dataset demo --preset micro --steps 20 --seeds 3 --json ablation.json</code> and import the file.</p>
      ) : (
        <section className="runs-section" data-testid="ablation-imported">
          <div className="runs-section-head">
            {ablations.length > 1 ? (
              <select aria-label="imported ablation" value={current.id} onChange={(e) => setPicked(e.target.value)}>
                {ablations.map((a) => (
                  <option key={a.id} value={a.id}>{`${a.file} (imported ${formatCreated(a.importedAt)})`}</option>
                ))}
              </select>
            ) : (
              <h3>{current.file}</h3>
            )}
            <span className="muted">{facts}</span>
            <span className="runs-spacer" />
            <button className="link" onClick={() => void deleteAblation(current.id)}>Remove</button>
          </div>
          {(current.result.notes ?? []).length > 0 && (
            <div className="runs-alert warn" style={{ marginBottom: 8 }} data-testid="ablation-notes">
              {current.result.notes!.map((n, i) => (
                <div key={i}>{n}</div>
              ))}
            </div>
          )}
          <AblationTable runs={current.result.runs} idPrefix="ablation" />
          <AblationCharts runs={current.result.runs} />
        </section>
      )}
    </>
  );
}

function LocalAblation() {
  const records = useRunsStore((s) => s.runs);
  const groups = useMemo(() => ablationFromRunRecords(records), [records]);
  const [picked, setPicked] = useState<string | null>(null);
  const group = groups.find((g) => g.key === picked) ?? groups[0];
  return (
    <section className="runs-section" data-testid="ablation-local">
      <p className="muted" style={{ marginTop: 0 }}>
        Only runs that share dataset, preset and number of GRPO steps are comparable, so training runs are grouped by those. A run’s method
        comes from its config: curriculum on = ASCL, augmentation on = GDQA, both on = both.
      </p>
      {!group ? (
        <p className="muted">No training run with logged steps is kept in this browser yet.</p>
      ) : (
        <>
          <div className="runs-section-head">
            {groups.length > 1 ? (
              <select aria-label="comparable runs" value={group.key} onChange={(e) => setPicked(e.target.value)}>
                {groups.map((g) => (
                  <option key={g.key} value={g.key}>{`${g.label} (${g.runs.length} runs)`}</option>
                ))}
              </select>
            ) : (
              <h3>{group.label}</h3>
            )}
            <span className="muted">{group.runs.length === 1 ? '1 run' : `${group.runs.length} runs`}: {group.names.join(', ')}</span>
          </div>
          {group.mismatched.length > 0 && (
            <div className="runs-alert warn" style={{ marginBottom: 8 }}>
              These runs also differ in {group.mismatched.join(', ')}: a difference between methods may come from that.
            </div>
          )}
          <AblationTable runs={group.runs} idPrefix="ablation-local" />
          <AblationCharts runs={group.runs} />
        </>
      )}
    </section>
  );
}
