// The Evaluate panel: benchmark the pretrained default, a run's checkpoint, a dropped checkpoint or an ONNX
// model on a stored dataset with greedy accuracy, Avg@k, CircularEval and likelihood scoring, then read the
// VLMEvalKit-style tables, the could-not-extract bucket, the speed, and the anatomy confusion matrix.
import { useEffect, useState } from 'react';
import type { EvalMetric } from '../../eval/report.ts';
import { useDatasetsStore } from '../../store/datasets.ts';
import { useEvaluationStore } from '../../store/evaluation.ts';
import { Panel } from '../widgets/Panel.tsx';
import { Progress } from '../widgets/Progress.tsx';
import { ResultView } from './evaluate/ResultView.tsx';
import { SourcePicker } from './evaluate/SourcePicker.tsx';

const METRICS: Array<{ metric: EvalMetric; label: string; help: string }> = [
  { metric: 'greedy', label: 'Greedy', help: 'one deterministic answer per question' },
  { metric: 'avgk', label: 'Avg@k', help: 'mean accuracy over k sampled answers (the paper reports Avg@5)' },
  { metric: 'circular', label: 'CircularEval', help: 'right under every rotation of the options' },
  { metric: 'likelihood', label: 'Likelihood', help: "the option whose text the model finds most likely (OmniMedVQA's metric)" },
  { metric: 'blind', label: 'Image-blind', help: 'greedy with the image withheld: what the question text alone earns this policy' },
  { metric: 'question-only', label: 'Question-only', help: "no model: the option most often gold for the same question text in the dataset's train split" },
];

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

export function EvaluatePanel() {
  const datasets = useDatasetsStore((s) => s.datasets);
  const initDatasets = useDatasetsStore((s) => s.init);
  const setup = useEvaluationStore((s) => s.setup);
  const job = useEvaluationStore((s) => s.job);
  const error = useEvaluationStore((s) => s.error);
  const result = useEvaluationStore((s) => s.result);
  const init = useEvaluationStore((s) => s.init);
  const update = useEvaluationStore((s) => s.update);
  const toggleMetric = useEvaluationStore((s) => s.toggleMetric);
  const run = useEvaluationStore((s) => s.run);
  const cancel = useEvaluationStore((s) => s.cancel);
  const now = useNow(job !== null);

  useEffect(() => {
    void initDatasets();
    void init();
  }, [initDatasets, init]);

  // Default to the first dataset, and to its test split when it has one.
  const dataset = datasets.find((d) => d.id === setup.datasetId) ?? null;
  useEffect(() => {
    if (!dataset && datasets.length > 0) {
      const first = datasets[0];
      update({ datasetId: first.id, split: first.bySplit.test ? 'test' : '' });
    }
  }, [dataset, datasets, update]);
  const splits = dataset ? Object.entries(dataset.bySplit).sort(([a], [b]) => a.localeCompare(b)) : [];
  const available = dataset ? (setup.split === '' ? dataset.recordCount : (dataset.bySplit[setup.split] ?? 0)) : 0;
  const asked = setup.maxQuestions > 0 ? Math.min(setup.maxQuestions, available) : available;
  const running = job !== null;

  return (
    <Panel id="evaluate" title="Evaluate" lede="Benchmark a checkpoint or an ONNX model: greedy accuracy, Avg@k, CircularEval and likelihood scoring, in tables researchers already read.">
      <div className="card eval-setup" data-testid="eval-setup">
        <SourcePicker disabled={running} />
        <fieldset className="eval-fieldset" disabled={running}>
          <legend>Questions</legend>
          <div className="eval-grid">
            <label>
              Dataset{' '}
              <select aria-label="dataset" className="eval-wide" value={setup.datasetId} onChange={(e) => update({ datasetId: e.target.value, split: '' })}>
                {datasets.length === 0 && <option value="">no dataset stored</option>}
                {datasets.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Split{' '}
              <select aria-label="split" value={setup.split} onChange={(e) => update({ split: e.target.value })}>
                <option value="">all ({dataset?.recordCount ?? 0})</option>
                {splits.map(([s, n]) => (
                  <option key={s} value={s}>
                    {s} ({n})
                  </option>
                ))}
              </select>
            </label>
            <label>
              At most{' '}
              <input type="number" aria-label="question cap" min={0} value={setup.maxQuestions} onChange={(e) => update({ maxQuestions: Math.max(0, Math.floor(Number(e.target.value) || 0)) })} /> questions
              <span className="muted"> (0 = all; a seeded choice)</span>
            </label>
            <label>
              Seed <input type="number" aria-label="seed" min={0} value={setup.seed} onChange={(e) => update({ seed: Math.max(0, Math.floor(Number(e.target.value) || 0)) })} />
            </label>
          </div>
        </fieldset>
        <fieldset className="eval-fieldset" disabled={running}>
          <legend>Metrics</legend>
          <div className="eval-metrics">
            {METRICS.map(({ metric, label, help: about }) => {
              // The question-only line is counted from the training questions; a dataset without them has none.
              const unavailable = metric === 'question-only' && dataset !== null && !dataset.bySplit.train;
              const help = unavailable ? `needs a train split to count from; ${dataset.name} has none` : about;
              return (
                <label key={metric} title={help}>
                  <input type="checkbox" aria-label={label} disabled={unavailable} checked={setup.metrics[metric] && !unavailable} onChange={(e) => toggleMetric(metric, e.target.checked)} /> {label}
                  {metric === 'avgk' && (
                    <>
                      {' '}
                      k <input type="number" aria-label="k" min={1} max={64} value={setup.k} onChange={(e) => update({ k: Math.min(64, Math.max(1, Math.floor(Number(e.target.value) || 1))) })} />
                    </>
                  )}
                  <span className="muted eval-metric-help">{help}</span>
                </label>
              );
            })}
          </div>
        </fieldset>
        <div className="row">
          <button className="primary" onClick={() => void run()} disabled={running || !dataset} data-testid="eval-run">
            Evaluate {asked} question{asked === 1 ? '' : 's'}
          </button>
          {error && (
            <p className="eval-error" role="alert" data-testid="eval-error">
              {error}
            </p>
          )}
        </div>
        {job && (
          <Progress
            label={`Evaluating: ${job.progress.phase}`}
            done={job.progress.done}
            total={job.progress.total}
            unit={job.progress.unit}
            startedAt={job.phaseStartedAt}
            now={now}
            onCancel={cancel}
          />
        )}
      </div>
      {result ? (
        <ResultView result={result} />
      ) : (
        !running && <p className="muted eval-empty">Results appear here: a table per metric, the could-not-extract bucket, speed, and a confusion matrix over anatomy labels.</p>
      )}
    </Panel>
  );
}
