// The run in flight: start / pause / resume / stop (each enabled only when it means something), the phase in
// words, the step counter and progress bar with the ETA of this session, checkpoints, accuracy before and
// after, what went wrong in words, and the stored checkpoints a reload can go on from.
import { formatPValue, pairedEvals } from '../../../eval/metrics.ts';
import { useDatasetsStore } from '../../../store/datasets.ts';
import { isResumable, useTrainingStore, type StepProgress, type TrainStatusName } from '../../../store/training.ts';
import { useUiStore } from '../../../store/ui.ts';
import { Progress } from '../../widgets/Progress.tsx';
import { formatBytes } from '../../widgets/format.ts';

const STATUS_TEXT: Record<TrainStatusName, string> = {
  idle: 'No run in this tab yet.',
  running: 'Training',
  pausing: 'Pausing after the step in flight (a checkpoint is being saved)…',
  stopping: 'Stopping after the step in flight…',
  paused: 'Paused',
  finished: 'Finished',
  stopped: 'Stopped',
  failed: 'Failed',
};

const busy = (s: TrainStatusName) => s === 'running' || s === 'pausing' || s === 'stopping';

/**
 * Progress's rate is done / elapsed; a resumed run's rate must come from this session alone, so the start is
 * moved. A run that is not training shows no rate and no ETA (start = now).
 */
function progressStart(p: StepProgress, live: boolean): number {
  if (!live || !p.eta || p.eta.stepsThisSession <= 0 || p.eta.elapsedMs <= 0) return p.receivedAt;
  return p.receivedAt - (p.done * p.eta.elapsedMs) / p.eta.stepsThisSession;
}

export function RunCard() {
  const status = useTrainingStore((s) => s.status);
  const runId = useTrainingStore((s) => s.runId);
  const runName = useTrainingStore((s) => s.runConfig?.name ?? null);
  const phase = useTrainingStore((s) => s.phase);
  const phaseMessage = useTrainingStore((s) => s.phaseMessage);
  const grpo = useTrainingStore((s) => s.grpo);
  const sft = useTrainingStore((s) => s.sft);
  const checkpointStep = useTrainingStore((s) => s.checkpointStep);
  const outcome = useTrainingStore((s) => s.outcome);
  const error = useTrainingStore((s) => s.error);
  const notice = useTrainingStore((s) => s.notice);
  const formError = useTrainingStore((s) => s.formError);
  const listError = useTrainingStore((s) => s.listError);
  const checkpoints = useTrainingStore((s) => s.checkpoints);
  const savedRunId = useTrainingStore((s) => s.savedRunId);
  const evalBefore = useTrainingStore((s) => s.evalBefore);
  const evalAfter = useTrainingStore((s) => s.evalAfter);
  const paired = evalBefore && evalAfter ? pairedEvals(evalBefore, evalAfter) : null;
  const noData = useDatasetsStore((s) => s.status === 'ready' && s.datasets.length === 0);
  const dataJob = useDatasetsStore((s) => s.job);
  // Until the stored datasets are listed, a start would wrongly find none.
  const dataListed = useDatasetsStore((s) => s.status === 'ready' || s.status === 'error');
  const openPanel = useUiStore((s) => s.openPanel);
  const { start, pause, resume, stop, deleteCheckpoint, dismissError } = useTrainingStore.getState();

  const own = checkpoints.find((c) => c.runId === runId);
  const canResume = !busy(status) && runId !== null && (status === 'paused' || status === 'failed') && (own ? isResumable(own) : status === 'paused');
  // The run shown has its own Resume button above; the table offers the others (all of them after a reload).
  const offers = checkpoints.filter((c) => isResumable(c) && c.runId !== runId);

  return (
    <div className="card" data-testid="train-run" data-status={status}>
      <div className="train-head">
        <h2>Run</h2>
        <span className={`train-status train-status-${status}`} data-testid="train-status">
          {STATUS_TEXT[status]}
          {status === 'paused' || status === 'finished' || status === 'stopped' || status === 'failed' ? ` at step ${grpo.done} of ${grpo.total}` : ''}
        </span>
        <span className="train-spacer" />
        <button className="primary" onClick={() => void start()} disabled={busy(status) || formError !== null || dataJob !== null || !dataListed} data-testid="train-start">
          {status === 'idle' ? 'Start' : 'Start a new run'}
        </button>
        <button onClick={() => void pause()} disabled={status !== 'running'} data-testid="train-pause">
          Pause
        </button>
        <button onClick={() => void resume()} disabled={!canResume} data-testid="train-resume">
          Resume
        </button>
        <button className="danger" onClick={() => void stop()} disabled={status !== 'running' && status !== 'pausing'} data-testid="train-stop">
          Stop
        </button>
      </div>
      {runName && (
        <p className="muted train-runname">
          <b>{runName}</b> · <code>{runId}</code>
        </p>
      )}
      {dataJob && <p className="muted">{dataJob.label}: preparing the dataset before a run can start…</p>}
      {noData && !dataJob && (
        <p className="train-alert warn" data-testid="train-no-data">
          No dataset is stored in this browser. Add one in the{' '}
          <button className="link" onClick={() => openPanel('data')}>
            Data panel
          </button>{' '}
          (it can generate AnatomySynth) before starting a run.
        </p>
      )}
      {listError && (
        <p className="train-alert warn" data-testid="train-list-error">
          {listError}
        </p>
      )}
      {notice && (
        <p className="train-alert info" data-testid="train-notice">
          {notice}{' '}
          <button className="link" onClick={dismissError}>
            dismiss
          </button>
        </p>
      )}
      {error && (
        <p className="train-alert error" role="alert" data-testid="train-error">
          {error}{' '}
          <button className="link" onClick={dismissError}>
            dismiss
          </button>
        </p>
      )}

      {status !== 'idle' && (
        <>
          {busy(status) && phase && phase !== 'grpo' && phase !== 'sft' && (
            <p className="muted" data-testid="train-phase">
              {phaseMessage || phase}
            </p>
          )}
          {sft.total > 0 && (
            <Progress label="SFT warm start" done={sft.done} total={sft.total} unit="steps" startedAt={progressStart(sft, busy(status))} now={sft.receivedAt} />
          )}
          <div className="train-counter" data-testid="train-step">
            GRPO step <b data-testid="train-step-done">{grpo.done}</b> / {grpo.total}
            {checkpointStep > 0 && <span className="muted"> · checkpoint at step {checkpointStep}</span>}
          </div>
          <Progress label="GRPO" done={grpo.done} total={grpo.total} unit="steps" startedAt={progressStart(grpo, busy(status))} now={grpo.receivedAt} />
        </>
      )}

      {(evalBefore || evalAfter) && (
        <div className="train-eval" data-testid="train-eval-readout">
          <span>
            Accuracy before: <b>{evalBefore ? pct(evalBefore.accuracy) : '—'}</b>
            {evalBefore && <span className="muted"> ({evalBefore.questions} questions)</span>}
          </span>
          <span>
            after: <b>{evalAfter ? pct(evalAfter.accuracy) : status === 'running' ? 'when the run ends' : '—'}</b>
            {evalAfter && <span className="muted"> ({evalAfter.questions} questions)</span>}
          </span>
          {evalBefore && evalAfter && (
            <span className={evalAfter.accuracy >= evalBefore.accuracy ? 'train-up' : 'train-down'}>
              {evalAfter.accuracy >= evalBefore.accuracy ? '+' : '−'}
              {(Math.abs(evalAfter.accuracy - evalBefore.accuracy) * 100).toFixed(1)} points
            </span>
          )}
          {paired && (
            <span className="muted" data-testid="train-eval-paired" title="The same questions before and after: the accuracies differ only where the answers changed. The sign test asks how likely so uneven a split of gains and losses would be by chance.">
              {paired.gained} gained, {paired.lost} lost; sign test {formatPValue(paired.pValue)}
            </span>
          )}
          {evalBefore?.questionOnly !== undefined && (
            <span className="muted" data-testid="train-eval-question-only" title="The option most often gold for each question's exact text in the training split: what a policy gets without looking at the image. A policy at this line is answering from the question alone.">
              question text alone: {pct(evalBefore.questionOnly)}
            </span>
          )}
          {evalBefore?.byType && Object.keys(evalBefore.byType).length > 1 && (
            <span className="muted" data-testid="train-eval-by-type" title="Right answers by question type, before and after: a run can gain on one type while it loses on another.">
              by type:{' '}
              {Object.entries(evalBefore.byType)
                .sort(([x], [y]) => x.localeCompare(y))
                .map(([type, before]) => {
                  const after = evalAfter?.byType?.[type];
                  return `${type || '(no type)'} ${before.correct}${after ? ` → ${after.correct}` : ''} of ${before.questions}`;
                })
                .join(' · ')}
            </span>
          )}
        </div>
      )}

      {outcome && outcome.state !== 'failed' && outcome.message && <p className="muted">{outcome.message}</p>}
      {savedRunId && (
        <p className="muted" data-testid="train-saved">
          Saved to the run history as <code>{savedRunId}</code>:{' '}
          <button className="link" onClick={() => openPanel('runs')}>
            open the Runs panel
          </button>
        </p>
      )}

      {offers.length > 0 && (
        <details className="train-checkpoints" open={!busy(status)} data-testid="train-checkpoints">
          <summary>{runId ? 'Other runs' : 'Runs'} with a stored checkpoint that can go on ({offers.length})</summary>
          <table className="data">
            <thead>
              <tr>
                <th>Run</th>
                <th>State</th>
                <th className="num">Step</th>
                <th>Saved</th>
                <th className="num">Size</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {offers.map((c) => (
                <tr key={c.runId} data-testid="train-checkpoint-row">
                  <td>
                    {c.name} <span className="muted">({c.preset})</span>
                  </td>
                  <td>{c.state === 'running' ? 'interrupted' : c.state}</td>
                  <td className="num">
                    {c.lastCheckpointStep} / {c.total}
                  </td>
                  <td>{c.savedAt ? new Date(c.savedAt).toLocaleString() : '—'}</td>
                  <td className="num">{formatBytes(c.bytes)}</td>
                  <td>
                    <button onClick={() => void resume(c.runId)} disabled={busy(status)} data-testid="train-resume-checkpoint">
                      Resume
                    </button>{' '}
                    <button onClick={() => void deleteCheckpoint(c.runId)} disabled={busy(status) && c.runId === runId}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </div>
  );
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
