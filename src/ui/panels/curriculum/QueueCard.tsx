// The queue of upcoming questions from the scrubbed step: S(q) as posed (and as released), the question, the
// options with the gold marked (the released ones beside redrawn ones), and exclude / pin / move controls.
// Record text is rendered as text only.
import { useState } from 'react';
import { useCurriculumStore } from '../../../store/curriculum.ts';
import type { QueueQuestion, QueueStep } from '../../../worker/curriculum-protocol.ts';
import { fmtS, OptionList } from './fields.tsx';

export function QueueCard() {
  const analysis = useCurriculumStore((s) => s.analysis);
  const status = useCurriculumStore((s) => s.status);
  const controlError = useCurriculumStore((s) => s.controlError);
  if (!analysis) return null;
  return (
    <div className="card" data-testid="cur-queue">
      <div className="cur-head">
        <h2>Queue of upcoming questions</h2>
        <span className="muted">{status === 'loading' ? 'updating…' : `${analysis.batchSize} per step, from step ${analysis.queue[0]?.step ?? 0}`}</span>
      </div>
      {controlError && <p className="cur-alert error" role="alert">{controlError}</p>}
      {analysis.queue.map((s) => (
        <QueueStepView key={s.step} s={s} pinned={analysis.controls.pinned} />
      ))}
    </div>
  );
}

function QueueStepView({ s, pinned }: { s: QueueStep; pinned: string[] }) {
  return (
    <section className="cur-step" data-testid="queue-step" data-step={s.step}>
      <h3>
        Step {s.step} <span className="muted">· level {s.level.toFixed(2)} · target mean S(q) {fmtS(s.meanTarget)}</span>
      </h3>
      {s.questions.length === 0 && <p className="muted">No questions (everything is excluded).</p>}
      <div className="cur-scroll">
        <table className="cur-table cur-queue-table">
          <thead>
            <tr>
              <th>S(q) posed</th>
              <th>Question</th>
              <th>Options</th>
              <th>Control</th>
            </tr>
          </thead>
          <tbody>
            {s.questions.map((q) => (
              <QueueRow key={q.id} q={q} step={s.step} pinned={pinned.includes(q.id)} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function QueueRow({ q, step, pinned }: { q: QueueQuestion; step: number; pinned: boolean }) {
  const control = useCurriculumStore((s) => s.control);
  const [moveTo, setMoveTo] = useState(String(step + 1));
  return (
    <tr data-testid="queue-question" data-id={q.id}>
      <td className="cur-s">
        <b>{fmtS(q.similarity)}</b>
        {q.redrawn && <div className="muted">released {fmtS(q.naturalSimilarity)}</div>}
        {q.target !== null && <div className="muted">target {fmtS(q.target)}</div>}
        {q.origin !== 'drawn' && <span className="badge on">{q.origin}</span>}
      </td>
      <td className="cur-q">
        <span className="cur-qtext">{q.question}</span>
        <div className="muted cur-meta">
          <code>{q.id}</code> · {q.questionType || 'no type'} {q.anatomy && <>· {q.anatomy}</>}
        </div>
      </td>
      <td>
        <OptionList options={q.options} goldIndex={q.goldIndex} />
        {q.redrawn && (
          <details className="cur-released">
            <summary>options as released (S {fmtS(q.naturalSimilarity)})</summary>
            <OptionList options={q.naturalOptions} goldIndex={q.naturalGoldIndex} />
          </details>
        )}
      </td>
      <td className="cur-controls">
        <button onClick={() => void control({ kind: 'exclude', id: q.id })} data-testid="exclude-button" title="Never schedule this question">
          Exclude
        </button>
        {pinned ? (
          <button onClick={() => void control({ kind: 'unpin', id: q.id })}>Unpin</button>
        ) : (
          <button onClick={() => void control({ kind: 'pin', id: q.id })} title="Put it into every batch">
            Pin
          </button>
        )}
        <span className="cur-move">
          <input type="number" min={0} value={moveTo} onChange={(e) => setMoveTo(e.target.value)} aria-label={`step to move ${q.id} to`} />
          <button
            onClick={() => {
              const n = Number(moveTo);
              if (Number.isInteger(n) && n >= 0) void control({ kind: 'move', id: q.id, step: n });
            }}
            title="Schedule it into that step's batch, once"
          >
            Move
          </button>
        </span>
      </td>
    </tr>
  );
}

export function ControlledCard() {
  const analysis = useCurriculumStore((s) => s.analysis);
  const control = useCurriculumStore((s) => s.control);
  if (!analysis || analysis.controlled.length === 0) return null;
  return (
    <div className="card" data-testid="cur-controlled">
      <div className="cur-head">
        <h2>Manual controls</h2>
        <span className="muted">saved in this browser for this dataset (fingerprint {analysis.fingerprint.slice(0, 12) || 'none'})</span>
        <button onClick={() => void control({ kind: 'clear' })}>Clear all</button>
      </div>
      <table className="cur-table">
        <tbody>
          {analysis.controlled.map((c) => (
            <tr key={`${c.state}-${c.id}`} data-testid="controlled-row" data-id={c.id}>
              <td>
                <span className="badge warn">{c.state === 'moved' ? `moved to step ${c.step}` : c.state}</span>
              </td>
              <td>
                <code>{c.id}</code> <span className="cur-qtext">{c.question}</span> <span className="muted">→ {c.answer} · S(q) {fmtS(c.similarity)}</span>
              </td>
              <td>
                {c.state === 'excluded' && <button onClick={() => void control({ kind: 'include', id: c.id })}>Include again</button>}
                {c.state === 'pinned' && <button onClick={() => void control({ kind: 'unpin', id: c.id })}>Unpin</button>}
                {c.state === 'moved' && <button onClick={() => void control({ kind: 'exclude', id: c.id })}>Exclude</button>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
