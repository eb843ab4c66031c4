// A run opened from a `#run=v1.…` link: read-only, with its curves and tables, local runs that can be
// overlaid on it, saving it in this browser, and reproducing it when the same dataset is loaded. A link
// that does not decode gets the decoder's reason in words, and nothing else in the lab is touched.
import { useMemo, type ReactNode } from 'react';
import type { RunRecord } from '../../../runs/record.ts';
import { useRunsStore } from '../../../store/runs.ts';
import { EvalTables } from './EvalTables.tsx';
import { formatCreated, shortFingerprint } from './format-run.ts';
import { RunComparison } from './RunComparison.tsx';

interface Props {
  localDatasetFingerprints?: readonly string[];
  onReproduce?: (run: RunRecord) => void;
}

export function SharedRunView({ localDatasetFingerprints, onReproduce }: Props) {
  const shared = useRunsStore((s) => s.shared);
  const close = useRunsStore((s) => s.closeShared);
  if (shared.status === 'none') return null;
  if (shared.status === 'error') {
    return (
      <div className="card runs-shared-error" role="alert" data-testid="shared-error">
        <h2>This shared link could not be opened</h2>
        <p>{shared.message}</p>
        <p className="muted">
          Reason code <code>{shared.code}</code>
          {shared.field && (
            <>
              {' '}at field <code>{shared.field}</code>
            </>
          )}
          . Your own runs and the rest of the lab are not affected.
        </p>
        <button onClick={close}>Dismiss</button>
      </div>
    );
  }
  return <OpenSharedRun run={shared.run} saved={shared.saved} onClose={close} localDatasetFingerprints={localDatasetFingerprints} onReproduce={onReproduce} />;
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function OpenSharedRun({ run, saved, onClose, localDatasetFingerprints, onReproduce }: Props & { run: RunRecord; saved: 'no' | 'saved' | 'already-local'; onClose: () => void }) {
  const localRuns = useRunsStore((s) => s.runs);
  const compareIds = useRunsStore((s) => s.sharedCompare);
  const toggleCompare = useRunsStore((s) => s.toggleSharedCompare);
  const save = useRunsStore((s) => s.saveShared);
  const storeFingerprints = useRunsStore((s) => s.localDatasetFingerprints);
  const reproduceNotice = useRunsStore((s) => s.reproduceNotice);
  const storeReproduce = useRunsStore((s) => s.reproduce);
  const fingerprints = localDatasetFingerprints ?? storeFingerprints;
  const canReproduce = run.dataset.fingerprint !== '' && fingerprints.includes(run.dataset.fingerprint);
  const others = localRuns.filter((r) => r.id !== run.id || saved === 'no');
  const overlaid = useMemo(() => [run, ...compareIds.flatMap((id) => localRuns.filter((r) => r.id === id))], [run, compareIds, localRuns]);
  return (
    <div className="card runs-shared" data-testid="shared-run">
      <div className="runs-shared-banner" role="status">
        <b>Shared run, read-only</b>
        <span>opened from the link in the address bar; nothing is saved unless you save it.</span>
        <span className="runs-spacer" />
        <button onClick={onClose}>Close shared run</button>
      </div>
      <div className="runs-shared-head">
        <h2 className="runs-shared-name">{run.name}</h2>
        <dl className="runs-facts">
          <Fact term="kind">{run.kind}</Fact>
          <Fact term="created">{formatCreated(run.createdAt)}</Fact>
          <Fact term="dataset">
            {run.dataset.name || 'unnamed'} <code title={run.dataset.fingerprint}>{shortFingerprint(run.dataset.fingerprint)}</code>
          </Fact>
          <Fact term="seed">{run.config.seed}</Fact>
          <Fact term="lab">
            {run.app.version} <code>{run.app.commit}</code>
          </Fact>
          <Fact term="curve points">
            {run.history.points.length.toLocaleString('en-US')} of {run.history.loggedPoints.toLocaleString('en-US')} logged
            {run.history.method !== 'none' && ` (thinned by ${run.history.method})`}
          </Fact>
        </dl>
        {run.notes && <p className="runs-notes">{run.notes}</p>}
      </div>
      <div className="runs-shared-actions">
        {saved === 'no' && <button className="primary" onClick={() => void save()}>Save to this browser</button>}
        {saved === 'saved' && <span className="runs-ok" data-testid="shared-saved">Saved to this browser: it is now in the run list below.</span>}
        {saved === 'already-local' && <span className="muted" data-testid="shared-saved">A run with this id is already in this browser; the local copy was kept.</span>}
        {canReproduce ? (
          <button onClick={() => (onReproduce ?? storeReproduce)(run)}>Reproduce with the same config and seed</button>
        ) : (
          <span className="muted">
            To reproduce it, load the dataset with fingerprint <code>{shortFingerprint(run.dataset.fingerprint)}</code> in the Data panel.
          </span>
        )}
      </div>
      {reproduceNotice && <p className="runs-alert warn" data-testid="reproduce-notice">{reproduceNotice}</p>}
      <div className="runs-shared-compare">
        <b>Compare with local runs:</b>{' '}
        {others.length === 0 ? (
          <span className="muted">there are no runs in this browser yet.</span>
        ) : (
          others.map((r) => (
            <label key={r.id} className={compareIds.includes(r.id) ? 'runs-chip on' : 'runs-chip'}>
              <input type="checkbox" checked={compareIds.includes(r.id)} onChange={() => toggleCompare(r.id)} />
              {r.name}
            </label>
          ))
        )}
      </div>
      <RunComparison runs={overlaid} idPrefix="shared" />
      <EvalTables run={run} />
    </div>
  );
}
