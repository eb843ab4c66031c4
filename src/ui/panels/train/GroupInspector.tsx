// The group inspector: for the first groups of the latest step, the image, the question and its options with the
// gold marked, the GDQA variants that were posed, and the G completions with each reward function's value, the
// weighted total and the group-relative advantage. A group whose rewards are all equal is flagged: its
// advantages are all 0 and it teaches nothing. Completion text is rendered as text, never as HTML.
import { optionLetter } from '../../../data/record.ts';
import { useTrainingStore } from '../../../store/training.ts';
import type { InspectorGroup, InspectorVariant } from '../../../worker/train-protocol.ts';

export function GroupInspector() {
  const groups = useTrainingStore((s) => s.inspector);
  const step = useTrainingStore((s) => s.inspectorStep);
  const thumbs = useTrainingStore((s) => s.thumbs);
  const wanted = useTrainingStore((s) => s.runConfig?.inspectorGroups ?? s.form.inspectorGroups);
  return (
    <div className="card" data-testid="train-inspector">
      <div className="train-head">
        <h2>Group inspector</h2>
        <span className="muted">
          {groups.length > 0
            ? `Step ${step}: the first ${groups.length} group${groups.length === 1 ? '' : 's'} of the batch, their completions, rewards and advantages.`
            : wanted === 0
              ? 'Off (inspector groups = 0).'
              : 'The groups of the latest step appear here once a step has run.'}
        </span>
      </div>
      <div className="train-groups">
        {groups.map((g, i) => (
          <GroupView key={`${g.recordId}-${i}`} group={g} thumb={g.imageRef ? thumbs[g.imageRef] : undefined} />
        ))}
      </div>
    </div>
  );
}

function GroupView({ group, thumb }: { group: InspectorGroup; thumb: string | undefined }) {
  const fnNames = [...new Set(group.completions.flatMap((c) => Object.keys(c.rewards)))];
  const augmented = group.variants.length > 1;
  const variantOf = (index: number): InspectorVariant | undefined => group.variants.find((v) => v.index === index);
  return (
    <article className={`train-group${group.zeroStd ? ' train-zero' : ''}`} data-testid="train-group" data-zero-std={group.zeroStd ? 'true' : 'false'}>
      <div className="train-group-top">
        <div className="train-thumb">{thumb ? <img src={thumb} alt={`image of ${group.recordId}`} /> : <span className="muted">{group.imageRef ? 'loading image…' : 'no image'}</span>}</div>
        <div className="train-group-q">
          <div className="train-group-meta">
            <code>{group.recordId}</code>
            {group.anatomy && <span className="badge on">{group.anatomy}</span>}
            {group.zeroStd ? (
              <span className="badge warn" data-testid="train-zero-flag" title="All G rewards equal: every advantage is 0 and the group teaches nothing.">
                zero variance: no gradient
              </span>
            ) : null}
            <span className="muted">
              reward {fmt(group.rewardMean)} ± {fmt(group.rewardStd)}
              {group.similarity !== null && ` · S(q) ${fmt(group.similarity)}`}
              {group.augmentReason !== 'off' && ` · GDQA: ${group.augmentReason}`}
            </span>
          </div>
          <p className="train-question">{group.question}</p>
          <Options options={group.options} goldIndex={group.goldIndex} />
        </div>
      </div>
      {augmented && (
        <details className="train-variants">
          <summary>{group.variants.length} GDQA variants posed</summary>
          <ol start={0}>
            {group.variants.map((v) => (
              <li key={v.index}>
                <span className="train-variant-tag">V{v.index}</span> <span className="muted">{v.operators.join(' + ')}</span> — {v.question}
                <Options options={v.options} goldIndex={v.goldIndex} />
              </li>
            ))}
          </ol>
        </details>
      )}
      <div className="train-table-wrap">
        <table className="data train-completions">
          <thead>
            <tr>
              <th className="num">#</th>
              {augmented && <th>Variant</th>}
              <th>Completion</th>
              {fnNames.map((n) => (
                <th key={n} className="num">
                  {n}
                </th>
              ))}
              <th className="num">total</th>
              <th className="num">advantage</th>
              <th className="num">tokens</th>
            </tr>
          </thead>
          <tbody>
            {group.completions.map((c, i) => {
              const v = variantOf(c.variant);
              return (
                <tr key={i} data-testid="train-completion">
                  <td className="num">{i + 1}</td>
                  {augmented && (
                    <td title={v ? v.operators.join(' + ') : undefined}>
                      <span className="train-variant-tag">V{c.variant}</span>
                      {v && <span className="muted"> gold {optionLetter(v.goldIndex)}</span>}
                    </td>
                  )}
                  <td>
                    {c.text === '' ? <span className="muted">(empty completion)</span> : <pre className="train-completion-text">{c.text}</pre>}
                  </td>
                  {fnNames.map((n) => (
                    <td key={n} className="num">
                      {fmt(c.rewards[n])}
                    </td>
                  ))}
                  <td className="num">
                    <b>{fmt(c.total)}</b>
                  </td>
                  <td className={`num ${c.advantage > 0 ? 'train-up' : c.advantage < 0 ? 'train-down' : 'muted'}`}>{fmt(c.advantage, true)}</td>
                  <td className="num">
                    {c.length}
                    {c.clipped && <span className="badge warn" title="Cut at the max completion length without an end token">cut</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </article>
  );
}

function Options({ options, goldIndex }: { options: readonly string[]; goldIndex: number }) {
  return (
    <ol className="train-options">
      {options.map((o, i) => (
        <li key={i} className={i === goldIndex ? 'train-gold' : undefined} data-gold={i === goldIndex ? 'true' : undefined}>
          <span className="train-letter">{optionLetter(i)}.</span> {o}
          {i === goldIndex && <span className="train-gold-mark"> ✓ gold</span>}
        </li>
      ))}
    </ol>
  );
}

function fmt(x: number | undefined, signed = false): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  const s = Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(2);
  return signed && x > 0 ? `+${s}` : s;
}
