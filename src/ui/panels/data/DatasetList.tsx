// The datasets stored in this browser: what each holds, which one the browser below shows, and a delete that
// asks first. The storage estimate says how much room is left, in words.
import { useState } from 'react';
import { useDatasetsStore } from '../../../store/datasets.ts';
import { formatDate, formatName, shortFingerprint, splitWords } from './format-data.ts';

export function DatasetList() {
  const datasets = useDatasetsStore((s) => s.datasets);
  const status = useDatasetsStore((s) => s.status);
  const listError = useDatasetsStore((s) => s.listError);
  const actionError = useDatasetsStore((s) => s.actionError);
  const storage = useDatasetsStore((s) => s.storage);
  const browsing = useDatasetsStore((s) => s.browser.datasetId);
  const busy = useDatasetsStore((s) => s.job !== null);
  const makingDemo = useDatasetsStore((s) => s.job?.kind === 'demo');
  const browse = useDatasetsStore((s) => s.browse);
  const remove = useDatasetsStore((s) => s.deleteDataset);
  const addDemo = useDatasetsStore((s) => s.addDemo);
  const [confirming, setConfirming] = useState<string | null>(null);
  const hasDemo = datasets.some((d) => d.format === 'synth');

  return (
    <div className="card" data-testid="dataset-list">
      <div className="data-card-head">
        <h2>Datasets in this browser</h2>
        <span className="muted" data-testid="storage-words">
          {storage ? `Storage: ${storage.words}` : 'This browser gives no storage estimate.'}
        </span>
      </div>
      {listError && <p className="data-error" role="alert">{listError}</p>}
      {actionError && <p className="data-error" role="alert">{actionError}</p>}
      {status === 'loading' && <p className="muted">Reading the stored datasets…</p>}
      {status === 'ready' && datasets.length === 0 && (
        <p className="muted">
          {makingDemo ? 'AnatomySynth, the built-in benchmark, is being generated; it appears here when it is stored.' : 'No datasets stored yet. Drop one below, or add the built-in AnatomySynth benchmark.'}
        </p>
      )}
      {datasets.length > 0 && (
        <table className="data data-datasets">
          <thead>
            <tr>
              <th>name</th>
              <th>format</th>
              <th className="num">records</th>
              <th className="num">images</th>
              <th>splits</th>
              <th>fingerprint</th>
              <th>created</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {datasets.map((d) => (
              <tr key={d.id} className={d.id === browsing ? 'data-selected' : undefined} data-testid="dataset-row" data-dataset-name={d.name}>
                <td>
                  <button className="link data-name" onClick={() => void browse(d.id)} title="Browse its records below">
                    {d.name}
                  </button>
                  {d.id === browsing && <span className="badge on">browsing</span>}
                </td>
                <td>{formatName(d.format)}</td>
                <td className="num">{d.recordCount.toLocaleString()}</td>
                <td className="num" title={d.imageSize ? `stored at ${d.imageSize}×${d.imageSize} px` : undefined}>
                  {d.imageCount.toLocaleString()}
                </td>
                <td>{splitWords(d.bySplit)}</td>
                <td><code title={d.fingerprint}>{shortFingerprint(d.fingerprint)}</code></td>
                <td>{formatDate(d.createdAt)}</td>
                <td className="data-actions">
                  {confirming === d.id ? (
                    <span className="data-confirm" role="group" aria-label={`Confirm deleting ${d.name}`}>
                      Delete its records and images?{' '}
                      <button
                        className="danger"
                        onClick={() => {
                          setConfirming(null);
                          void remove(d.id);
                        }}
                      >
                        Delete
                      </button>{' '}
                      <button onClick={() => setConfirming(null)}>Keep</button>
                    </span>
                  ) : (
                    <button onClick={() => setConfirming(d.id)} disabled={busy} aria-label={`Delete ${d.name}`}>
                      Delete…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {status === 'ready' && !hasDemo && !makingDemo && (
        <p className="data-demo-offer">
          <button onClick={() => void addDemo()} disabled={busy}>Add AnatomySynth</button>{' '}
          <span className="muted">the built-in synthetic anatomy benchmark (seed 1, 2,000 questions).</span>
        </p>
      )}
    </div>
  );
}
