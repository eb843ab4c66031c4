// The result of one evaluation: the accuracy tables, the could-not-extract bucket with examples, latency and
// throughput, and the confusion matrix over anatomy labels whose cells open the questions behind them.
import { useEvaluationStore } from '../../../store/evaluation.ts';
import type { EvalRunResult } from '../../../worker/eval-protocol.ts';
import { formatDuration } from '../../widgets/Progress.tsx';
import { AccuracyTables, formatPercent } from './AccuracyTables.tsx';
import { AnswerCard } from './AnswerCard.tsx';
import { ConfusionMatrix } from './ConfusionMatrix.tsx';

const EXAMPLES = 4;

export function ResultView({ result }: { result: EvalRunResult }) {
  const thumbs = useEvaluationStore((s) => s.thumbs);
  const name = useEvaluationStore((s) => s.resultName);
  // A run's checkpoint reads as the run ("GRPO micro … · checkpoint at step 3"), not as its storage id.
  const report = name ? { ...result.report, policy: name } : result.report;
  const byId = new Map(result.records.map((r) => [r.id, r]));
  const u = report.unextractable;
  const t = report.throughput;
  return (
    <>
      <div className="card" data-testid="eval-result">
        <div className="eval-result-head">
          <h2>
            {report.policy} <span className="muted">on {report.task}</span>
          </h2>
          <span className="muted">
            {report.overall.n} questions · {t.generations} completions · {result.engine}
            {result.runId ? ` · stored as run ${result.runId} (Runs panel)` : ''}
          </span>
        </div>
        <AccuracyTables report={report} />
        {result.tooLong.length > 0 && (
          <p className="eval-warn">
            {result.tooLong.length} question(s) did not fit the model&apos;s context and were answered with nothing (counted as could not extract):{' '}
            {result.tooLong.slice(0, 5).join(', ')}
          </p>
        )}
      </div>

      <div className="eval-two">
        <div className="card" data-testid="eval-unextractable">
          <h2>Could not extract an answer</h2>
          <p className="eval-big">
            {u.count} <span className="muted">of {u.total} completions ({formatPercent(u.rate)}%)</span>
          </p>
          {Object.keys(u.byReason).length > 0 && (
            <ul className="eval-reasons">
              {Object.entries(u.byReason).map(([reason, n]) => (
                <li key={reason}>
                  {reason}: <b>{n}</b>
                </li>
              ))}
            </ul>
          )}
          {u.ids.length > 0 ? (
            <>
              <p className="muted">
                Greedy answers with nothing to extract{u.ids.length > EXAMPLES ? ` (first ${EXAMPLES} of ${u.ids.length})` : ''}:
              </p>
              <ul className="eval-answers">
                {u.ids.slice(0, EXAMPLES).map((id) => {
                  const record = byId.get(id);
                  return record ? <AnswerCard key={id} record={record} completion={result.answers[id]?.completion} thumb={thumbs[record.image]} /> : null;
                })}
              </ul>
            </>
          ) : (
            <p className="muted">Every greedy answer named an option.</p>
          )}
        </div>

        <div className="card" data-testid="eval-throughput">
          <h2>Speed</h2>
          <dl className="eval-facts">
            <dt>Wall time</dt>
            <dd>{formatDuration(t.wallMs / 1000)} (+ {formatDuration(result.loadMs / 1000)} loading)</dd>
            <dt>Questions / s</dt>
            <dd>{t.questionsPerSecond.toFixed(2)}</dd>
            <dt>Tokens / s</dt>
            <dd>{t.tokensPerSecond > 0 ? t.tokensPerSecond.toFixed(1) : '—'}</dd>
            <dt>Latency per call</dt>
            <dd>
              mean {t.latencyMs.mean.toFixed(0)} ms · p50 {t.latencyMs.p50.toFixed(0)} ms · p95 {t.latencyMs.p95.toFixed(0)} ms
            </dd>
            <dt>Calls</dt>
            <dd>
              {t.generations} completions, {t.generatedTokens} tokens, {t.scoringCalls} option scorings
            </dd>
            <dt>Engine</dt>
            <dd>{result.engine}</dd>
          </dl>
        </div>
      </div>

      <ConfusionMatrix result={result} />
    </>
  );
}
