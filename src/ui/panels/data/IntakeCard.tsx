// Bringing a dataset in: the drop zone, then the format the lab detected (with its confidence and reason, and a
// choice when several formats fit), the first records as the lab reads them, a name, and Import with progress.
import { useDatasetsStore } from '../../../store/datasets.ts';
import type { FormatId } from '../../../data/index.ts';
import { DEFAULT_IMPORT_IMAGE_SIZE } from '../../../worker/protocol.ts';
import { DropZone } from '../../widgets/DropZone.tsx';
import { Progress } from '../../widgets/Progress.tsx';
import { formatBytes } from '../../widgets/format.ts';
import { PreviewTable } from './PreviewTable.tsx';
import { IssueList } from './IssueTable.tsx';
import { confidenceWords, plural } from './format-data.ts';

/** The running job of one kind with its Cancel button, or what the last one of that kind failed with. */
export function JobProgress({ kinds }: { kinds: readonly ('import' | 'demo' | 'drop')[] }) {
  const job = useDatasetsStore((s) => (s.job && kinds.includes(s.job.kind) ? s.job : null));
  const cancel = useDatasetsStore((s) => s.cancelJob);
  const jobError = useDatasetsStore((s) => (s.jobError && kinds.includes(s.jobError.kind) ? s.jobError : null));
  return (
    <>
      {job && (
        <div className="data-job" data-testid={`job-${job.kind}`}>
          <Progress
            label={`${job.label}: ${job.progress.phase}`}
            done={job.progress.done}
            total={job.progress.total}
            unit={job.progress.unit}
            startedAt={job.startedAt}
            now={job.updatedAt}
            onCancel={cancel}
          />
        </div>
      )}
      {jobError && (
        <p className="data-error" role="alert" data-testid="job-error">
          {jobError.message}
        </p>
      )}
    </>
  );
}

export function IntakeCard() {
  const pending = useDatasetsStore((s) => s.pending);
  const busy = useDatasetsStore((s) => s.job !== null);
  const dropTransfer = useDatasetsStore((s) => s.dropTransfer);
  const pickFiles = useDatasetsStore((s) => s.pickFiles);
  return (
    <div className="card" data-testid="intake">
      <h2>Bring your own data</h2>
      <p className="muted data-formats">
        OmniMedVQA, SGG-VQA (Anatomy-R1), Med-R1, MedVLM-R1, VQA-RAD, VLMEvalKit TSV, JSONL / CSV with an image column, and Parquet.
        Folders are walked, .zip archives opened here.
      </p>
      <DropZone onDrop={(dt) => void dropTransfer(dt)} onPick={(files) => void pickFiles(files)} disabled={busy} />
      {pending && <PendingDrop />}
      <JobProgress kinds={['import', 'drop']} />
    </div>
  );
}

function PendingDrop() {
  const pending = useDatasetsStore((s) => s.pending)!;
  const busy = useDatasetsStore((s) => s.job !== null);
  const chooseFormat = useDatasetsStore((s) => s.chooseFormat);
  const setName = useDatasetsStore((s) => s.setPendingName);
  const discard = useDatasetsStore((s) => s.discardPending);
  const importPending = useDatasetsStore((s) => s.importPending);
  const p = pending.preview;
  const chosen = p?.candidates.find((c) => c.format === p.format) ?? null;
  return (
    <div className="data-pending" data-testid="pending">
      <div className="data-card-head">
        <h3>
          {plural(pending.files.length, 'file')} dropped
          {p && (p.fileCount === pending.files.length ? ` (${formatBytes(p.droppedBytes)})` : ` (${plural(p.fileCount, 'file')} after opening archives, ${formatBytes(p.droppedBytes)})`)}
        </h3>
        <button onClick={discard} disabled={busy}>Discard</button>
      </div>
      {pending.status === 'reading' && <p className="muted">Reading the files and detecting the format…</p>}
      {pending.status === 'error' && <p className="data-error">The files could not be read: {pending.error}</p>}
      {p && pending.status === 'ready' && (
        <>
          {chosen ? (
            <div className="data-detected" data-testid="detected-format">
              <div>
                Read as <b>{chosen.label}</b> <span className="badge on">{confidenceWords(chosen.confidence)}</span>
              </div>
              <div className="muted">{chosen.reason}</div>
              <div className="muted">Data files: {chosen.files.slice(0, 6).join(', ')}{chosen.files.length > 6 && ` and ${chosen.files.length - 6} more`}</div>
            </div>
          ) : (
            <p className="data-error" data-testid="detected-format">
              No dataset format was recognised in these files. Import anyway to see what is wrong with each file.
            </p>
          )}
          {p.candidates.length > 1 && (
            <label className="data-override">
              Read as{' '}
              <select
                value={pending.format ?? ''}
                onChange={(e) => void chooseFormat((e.target.value || null) as FormatId | null)}
                data-testid="format-override"
                disabled={busy}
              >
                <option value="">best guess ({p.candidates[0].label})</option>
                {p.candidates.map((c) => (
                  <option key={c.format} value={c.format}>
                    {c.label} ({Math.round(c.confidence * 100)}%)
                  </option>
                ))}
              </select>
            </label>
          )}
          {p.problems.length > 0 && <IssueList title="Problems with whole files" issues={p.problems} />}
          {p.preview.length > 0 && <PreviewTable outcomes={p.preview} />}
          <div className="row data-import-row">
            <label>
              name{' '}
              <input type="text" value={pending.name} onChange={(e) => setName(e.target.value)} data-testid="dataset-name" maxLength={120} />
            </label>
            <button className="primary" onClick={() => void importPending()} disabled={busy} data-testid="import">
              Import
            </button>
            <span className="muted">
              Images are decoded and stored at {DEFAULT_IMPORT_IMAGE_SIZE}×{DEFAULT_IMPORT_IMAGE_SIZE} px; nothing leaves this browser.
            </span>
          </div>
        </>
      )}
    </div>
  );
}
