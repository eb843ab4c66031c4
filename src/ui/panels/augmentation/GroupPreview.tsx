// The group preview: for chosen questions (the curriculum's batch at a step, or typed ids), the K variants side by
// side with the image as transformed, the question, the options with the gold marked, the operators that made
// it and its share of the G rollouts. Record text is rendered as text only.
import { useAugmentStore, type ShownGroup, type ShownVariant } from '../../../store/augment.ts';
import type { ImageTransform } from '../../../augment/image-transforms.ts';
import { fmtS, NumberField, OptionList } from '../curriculum/fields.tsx';

/** One image transform in words ('shift 2.0%, -1.5%'). */
export function transformText(t: ImageTransform): string {
  switch (t.kind) {
    case 'shift':
      return `shift ${(t.dx * 100).toFixed(1)}%, ${(t.dy * 100).toFixed(1)}%`;
    case 'crop':
      return `crop ${(t.scale * 100).toFixed(0)}% at (${t.x.toFixed(2)}, ${t.y.toFixed(2)})`;
    case 'brightness':
      return `brightness ${t.delta >= 0 ? '+' : ''}${t.delta.toFixed(3)}`;
    case 'contrast':
      return `contrast ×${t.factor.toFixed(3)}`;
    case 'flip':
      return 'horizontal flip';
  }
}

const REASON_TEXT: Record<ShownGroup['reason'], string> = {
  off: 'not augmentable (open question or a single option)',
  all: 'augmented: applied to every question',
  'zero-variance': 'augmented: previewed as if its last group had zero reward variance',
  'informative-last-time': 'not augmented: its last group was informative',
  'first-visit': 'not augmented: first visit',
};

/** How a variant was made: its operators as badges, then its image transforms in words. */
export function VariantMaking({ operators, transforms }: { operators: readonly string[]; transforms: readonly ImageTransform[] }) {
  return (
    <>
      <div className="aug-ops-used">
        {operators.map((o) => (
          <span key={o} className="badge on">
            {o}
          </span>
        ))}
      </div>
      <div className="aug-transforms muted">{transforms.length ? transforms.map(transformText).join(' · ') : 'image as stored'}</div>
    </>
  );
}

export function GroupPreview() {
  const selection = useAugmentStore((s) => s.selection);
  const setSelection = useAugmentStore((s) => s.setSelection);
  const groups = useAugmentStore((s) => s.groups);
  const missing = useAugmentStore((s) => s.missing);
  const status = useAugmentStore((s) => s.status);
  const error = useAugmentStore((s) => s.error);
  const enabled = useAugmentStore((s) => s.config.enabled);
  return (
    <div className="card" data-testid="aug-preview">
      <div className="cur-head">
        <h2>Group preview</h2>
        <span className="muted">{status === 'loading' ? 'building…' : `${groups.length} question${groups.length === 1 ? '' : 's'}`}</span>
      </div>
      <div className="row aug-select">
        <label className="cur-check">
          <input type="radio" name="aug-sel" checked={selection.mode === 'step'} onChange={() => setSelection({ mode: 'step' })} />
          the curriculum’s batch at step
        </label>
        <NumberField label="" value={selection.step} step={1} min={0} onChange={(v) => setSelection({ step: Math.max(0, Math.round(v)), mode: 'step' })} testId="aug-step" ariaLabel="preview step" />
        <label className="cur-check">
          <input type="radio" name="aug-sel" checked={selection.mode === 'ids'} onChange={() => setSelection({ mode: 'ids' })} />
          these question ids
        </label>
        <input className="aug-ids" value={selection.ids} placeholder="ids, comma-separated" onChange={(e) => setSelection({ ids: e.target.value, mode: 'ids' })} data-testid="aug-ids" />
        <NumberField label="" value={selection.limit} step={1} min={1} max={12} onChange={(v) => setSelection({ limit: Math.min(12, Math.max(1, Math.round(v))) })} ariaLabel="questions at most" />
        <span className="muted">questions at most</span>
      </div>
      <p className="muted cur-note">
        The preview builds each group as training would at that step with this seed{enabled ? '' : ' (augmentation is off for training; this shows what it would build)'}; under
        “zero-variance only” it shows the group as built after a zero-variance group.
      </p>
      {error && <p className="cur-alert error" role="alert">{error}</p>}
      {missing.length > 0 && <p className="cur-alert warn">Not found or not multiple choice: {missing.join(', ')}</p>}
      {groups.map((g) => (
        <GroupView key={g.recordId} g={g} />
      ))}
    </div>
  );
}

function GroupView({ g }: { g: ShownGroup }) {
  return (
    <section className="aug-group" data-testid="aug-group" data-id={g.recordId}>
      <h3>
        <code>{g.recordId}</code> <span className="muted">· {g.questionType || 'no type'}{g.anatomy && ` · ${g.anatomy}`} · {REASON_TEXT[g.reason]} · rollouts → variants [{g.rolloutVariant.join(' ')}]</span>
      </h3>
      <div className="aug-variants">
        {g.variants.map((v) => (
          <VariantView key={v.index} v={v} />
        ))}
      </div>
    </section>
  );
}

function VariantView({ v }: { v: ShownVariant }) {
  return (
    <article className="aug-variant" data-testid="aug-variant">
      <header>
        <b>Variant {v.index}</b> <span className="muted">· {v.rollouts} rollout{v.rollouts === 1 ? '' : 's'} · S(q) {fmtS(v.similarity)}</span>
      </header>
      {v.url ? (
        <img className="aug-img" src={v.url} width={v.width} height={v.height} alt={`variant ${v.index} image`} />
      ) : (
        <div className="aug-img aug-noimg muted">no stored image</div>
      )}
      <VariantMaking operators={v.operators} transforms={v.imageTransforms} />
      <p className="aug-question">{v.question}</p>
      <OptionList options={v.options} goldIndex={v.goldIndex} testId="aug-options" />
    </article>
  );
}
