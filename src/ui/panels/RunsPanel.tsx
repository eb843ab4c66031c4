// The Runs panel: every training and evaluation run kept in this browser, compared side by side (curves,
// config diff, results), exported and imported as files, and shared as a URL; plus the read-only view of a
// run opened from a `#run=v1.…` link; and the ablation (GRPO, +ASCL, +GDQA, +both) from a `lab ablation` file or
// from the local runs.
import { useEffect } from 'react';
import type { RunRecord } from '../../runs/record.ts';
import { useRunsStore } from '../../store/runs.ts';
import { Panel } from '../widgets/Panel.tsx';
import { AblationView } from './runs/AblationView.tsx';
import { ComparePane } from './runs/ComparePane.tsx';
import { ImportCard } from './runs/ImportCard.tsx';
import { ImportResults } from './runs/ImportResults.tsx';
import { RunList } from './runs/RunList.tsx';
import { SharedRunView } from './runs/SharedRunView.tsx';

interface Props {
  /** Fingerprints of the datasets loaded here; defaults to the runs store's list (filled by the datasets store). */
  localDatasetFingerprints?: readonly string[];
  /** Starts a reproduction of a shared run; defaults to the store's hook, which says training arrives with #6. */
  onReproduce?: (run: RunRecord) => void;
}

export function RunsPanel({ localDatasetFingerprints, onReproduce }: Props) {
  const load = useRunsStore((s) => s.load);
  const status = useRunsStore((s) => s.status);
  const storageError = useRunsStore((s) => s.storageError);
  const actionError = useRunsStore((s) => s.actionError);
  const invalid = useRunsStore((s) => s.invalid);
  const sharedStatus = useRunsStore((s) => s.shared.status);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <Panel id="runs" title="Runs" lede="Every training and evaluation run kept in this browser: compare any of them side by side, export and import them as files, and share one as a link.">
      {sharedStatus !== 'none' && <SharedRunView localDatasetFingerprints={localDatasetFingerprints} onReproduce={onReproduce} />}
      {storageError && (
        <div className="card runs-alert error" role="alert">
          {storageError}
        </div>
      )}
      {actionError && (
        <div className="card runs-alert error" role="alert">
          {actionError}
        </div>
      )}
      {status === 'loading' ? <p className="muted">Reading the run history…</p> : <RunList />}
      {invalid.length > 0 && (
        <div className="card runs-alert warn" data-testid="invalid-runs">
          <h2>{invalid.length === 1 ? 'One stored run could not be read' : `${invalid.length} stored runs could not be read`}</h2>
          <p className="muted">They are left in storage untouched; another version of the lab may have written them.</p>
          <ul>
            {invalid.map((r) => (
              <li key={r.key}>
                <code>{r.key}</code>: {r.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <ComparePane />
      <AblationView />
      <ImportCard />
      <ImportResults />
    </Panel>
  );
}
