// GDQA live: the groups a training run (Train panel) sent for its recent steps, each with its variants side by
// side (the image as posed, the question, the options with the gold marked), every variant's rollouts with their
// rewards and pooled advantages, the zero-variance flag, why the group was (not) augmented, and the run's count
// of groups augmentation turned from zero-variance into informative (rl/metrics.ts turnedInformative, counted by
// the trainer over all groups of each step). Completion text is rendered as text, never as HTML.
import { useEffect } from 'react';
import { optionLetter } from '../../../data/record.ts';
import { turnedInformative } from '../../../rl/metrics.ts';
import { augmentTotals, liveThumb, useAugmentStore, type LiveVariant } from '../../../store/augment.ts';
import { useTrainingStore } from '../../../store/training.ts';
import { useUiStore } from '../../../store/ui.ts';
import type { InspectorCompletion, InspectorGroup } from '../../../worker/train-protocol.ts';
import { OptionList } from '../curriculum/fields.tsx';
import { VariantMaking } from './GroupPreview.tsx';
import { TransformedImage } from './TransformedImage.tsx';

const REASON_TEXT: Record<string, string> = {
  off: 'not augmented: GDQA is off for this run (or the question is open)',
  all: 'augmented: GDQA applies to every question',
  'zero-variance': 'augmented: this question’s last group had zero reward variance',
  'informative-last-time': 'not augmented: its last group was informative',
  'first-visit': 'not augmented: first visit (only questions whose last group had zero variance are augmented)',
};

const fmt = (x: number | undefined, signed = false): string => {
  if (x === undefined || !Number.isFinite(x)) return '—';
  const s = x.toFixed(2);
  return signed && x > 0 ? `+${s}` : s;
};

/** Whether GDQA rescued this inspector group, by the trainer's own rule. */
export function groupTurnedInformative(g: InspectorGroup): boolean {
  return turnedInformative({ augmented: g.variants.length > 1, reason: g.augmentReason, rewards: g.completions.map((c) => c.total), rolloutVariant: g.completions.map((c) => c.variant) });
}

export function LiveGroups() {
  const runConfig = useTrainingStore((s) => s.runConfig);
  const status = useTrainingStore((s) => s.status);
  const recent = useTrainingStore((s) => s.recentInspector);
  const history = useTrainingStore((s) => s.history);
  const done = useTrainingStore((s) => s.grpo.done);
  const total = useTrainingStore((s) => s.grpo.total);
  const live = useAugmentStore((s) => s.live);
  const showLiveStep = useAugmentStore((s) => s.showLiveStep);
  const loadLiveThumbs = useAugmentStore((s) => s.loadLiveThumbs);
  const openPanel = useUiStore((s) => s.openPanel);

  const shownIndex = live.step === null ? recent.length - 1 : recent.findIndex((r) => r.step === live.step);
  const shown = shownIndex >= 0 ? recent[shownIndex] : recent[recent.length - 1];
  const datasetId = runConfig?.datasetId ?? '';
  useEffect(() => {
    if (shown && datasetId) void loadLiveThumbs(datasetId, shown.groups, recent.flatMap((r) => r.groups));
  }, [shown, recent, datasetId, loadLiveThumbs]);

  if (!runConfig) {
    return (
      <div className="card" data-testid="aug-live">
        <h2>During training: rollouts, rewards and advantages per variant</h2>
        <p className="muted" data-testid="aug-live-empty">
          No training run in this tab yet. Start one in the Train panel with Augmentation (GDQA) on: the groups of each step show here as they are trained, with every variant’s
          rollouts, rewards and advantages.{' '}
          <button type="button" className="link" onClick={() => openPanel('train')}>
            Open the Train panel
          </button>
        </p>
      </div>
    );
  }

  const gdqa = runConfig.augment;
  const totals = augmentTotals(history);
  const stepRow = shown ? history.points.find((p) => p.step === shown.step)?.values : undefined;
  const older = shownIndex > 0 ? recent[shownIndex - 1] : null;
  const newer = shownIndex >= 0 && shownIndex < recent.length - 1 ? recent[shownIndex + 1] : null;
  return (
    <div className="card" data-testid="aug-live" data-status={status}>
      <div className="cur-head">
        <h2>During training: {runConfig.name}</h2>
        <span className="muted">
          {status} · step {done} of {total}
        </span>
      </div>
      <p className="muted cur-note">
        {gdqa.enabled
          ? `GDQA on: K = ${gdqa.variants} variants, G = ${runConfig.grpo.groupSize} rollouts, applied to ${gdqa.applyTo === 'all' ? 'every question' : 'questions whose last group had zero reward variance'}; each rollout is scored against its own variant’s gold, advantages pool over the whole group.`
          : 'This run trains without GDQA: every group is G rollouts of one question. Turn Augmentation (GDQA) on in the Train panel to see variants here.'}
      </p>
      <div className="aug-live-counter" data-testid="aug-live-counter" data-informative={totals.informative} data-augmented={totals.augmented} data-steps={totals.steps}>
        <b data-testid="aug-live-informative">{totals.informative}</b> group{totals.informative === 1 ? '' : 's'} turned from zero-variance into informative by augmentation, of{' '}
        <b data-testid="aug-live-augmented">{totals.augmented}</b> augmented over {totals.steps} step{totals.steps === 1 ? '' : 's'}
        {totals.approximate && ' (summed over the thinned curve: approximate)'}
      </div>
      <p className="muted cur-note">
        A group counts when its pooled rewards differ while its variant 0 alone (at least two rollouts) got a single reward, or when its question’s last group was
        zero-variance and this one is not. The trainer counts over all groups of each step (augment/informative_groups), not only the ones shown below.
      </p>
      {recent.length === 0 ? (
        <p className="muted" data-testid="aug-live-waiting">
          {runConfig.inspectorGroups === 0 ? 'The run sends no groups (inspector groups = 0 in the Train panel).' : 'The groups of the first step appear here once it has run.'}
        </p>
      ) : (
        <>
          <div className="row aug-select" data-testid="aug-live-nav">
            <button type="button" disabled={!older} onClick={() => older && showLiveStep(older.step)} data-testid="aug-live-older">
              ◀ older step
            </button>
            <select aria-label="step shown" value={shown.step} onChange={(e) => showLiveStep(Number(e.target.value))} data-testid="aug-live-step">
              {recent.map((r) => (
                <option key={r.step} value={r.step}>
                  step {r.step}
                </option>
              ))}
            </select>
            <button type="button" disabled={!newer} onClick={() => newer && showLiveStep(newer.step)} data-testid="aug-live-newer">
              newer step ▶
            </button>
            <label className="cur-check">
              <input type="checkbox" checked={live.step === null} onChange={(e) => showLiveStep(e.target.checked ? null : shown.step)} data-testid="aug-live-follow" />
              follow the latest step
            </label>
            <span className="muted">
              Step {shown.step}: {shown.groups.length} group{shown.groups.length === 1 ? '' : 's'} shown
              {stepRow?.['augment/augmented_groups'] !== undefined &&
                ` · this step: ${stepRow['augment/augmented_groups']} augmented, ${stepRow['augment/informative_groups'] ?? 0} turned informative`}
              {stepRow?.frac_reward_zero_std !== undefined && ` · frac_reward_zero_std ${fmt(stepRow.frac_reward_zero_std)}`}
            </span>
          </div>
          {shown.groups.map((g, i) => (
            <LiveGroup key={`${shown.step}-${g.recordId}-${i}`} group={g} thumb={liveThumb(live, datasetId, g.imageRef)} />
          ))}
        </>
      )}
    </div>
  );
}

function LiveGroup({ group, thumb }: { group: InspectorGroup; thumb: string | undefined }) {
  const rescued = groupTurnedInformative(group);
  const variants = group.variants as LiveVariant[];
  return (
    <section className={`aug-group aug-live-group${group.zeroStd ? ' train-zero' : ''}`} data-testid="aug-live-group" data-id={group.recordId} data-zero-std={group.zeroStd ? 'true' : 'false'} data-rescued={rescued ? 'true' : 'false'}>
      <div className="train-group-meta">
        <code>{group.recordId}</code>
        {group.anatomy && <span className="badge on">{group.anatomy}</span>}
        {group.zeroStd ? (
          <span className="badge warn" data-testid="aug-live-zero" title="All G pooled rewards equal: every advantage is 0 and the group teaches nothing.">
            zero variance: no gradient
          </span>
        ) : (
          <span className="badge on" title="The pooled rewards differ: the group has non-zero advantages.">
            informative
          </span>
        )}
        {rescued && (
          <span className="badge on" data-testid="aug-live-rescued" title="Variant 0 alone (or this question’s last group) had zero variance; the augmented group does not.">
            turned informative by GDQA
          </span>
        )}
        <span className="muted" data-testid="aug-live-reason">
          {REASON_TEXT[group.augmentReason] ?? group.augmentReason} · pooled reward {fmt(group.rewardMean)} ± {fmt(group.rewardStd)}
        </span>
      </div>
      <div className="aug-variants aug-live-variants" style={{ gridTemplateColumns: 'repeat(auto-fill, minmax(300px, 1fr))' }}>
        {variants.map((v) => (
          <LiveVariantView
            key={v.index}
            v={v}
            thumb={thumb}
            hasImage={group.imageRef !== null}
            rollouts={group.completions.map((c, k) => ({ c, k })).filter(({ c }) => c.variant === v.index)}
          />
        ))}
      </div>
    </section>
  );
}

function LiveVariantView({ v, thumb, hasImage, rollouts }: { v: LiveVariant; thumb: string | undefined; hasImage: boolean; rollouts: { c: InspectorCompletion; k: number }[] }) {
  const transforms = v.imageTransforms ?? [];
  const totals = rollouts.map(({ c }) => c.total);
  const mean = totals.length ? totals.reduce((a, x) => a + x, 0) / totals.length : undefined;
  // What this variant alone would have given GRPO: only readable with two rollouts or more.
  const alone = totals.length < 2 ? '' : totals.every((t) => t === totals[0]) ? ' · alone: zero variance' : ' · alone: informative';
  const made = v.operators.filter((o) => o !== 'original');
  return (
    <article className="aug-variant" data-testid="aug-live-variant" data-variant={v.index}>
      <header>
        <span className="train-variant-tag">V{v.index}</span> <b>{made.length === 0 ? 'as given' : made.join(' + ')}</b>{' '}
        <span className="muted">
          · {rollouts.length} rollout{rollouts.length === 1 ? '' : 's'} · gold {optionLetter(v.goldIndex)} · mean reward {fmt(mean)}
          {alone}
        </span>
      </header>
      <TransformedImage src={thumb} transforms={transforms} alt={`variant ${v.index} image`} missing={hasImage ? 'loading image…' : 'no image'} />
      <VariantMaking operators={v.operators} transforms={transforms} />
      <p className="aug-question">{v.question}</p>
      <OptionList options={v.options} goldIndex={v.goldIndex} testId="aug-live-options" />
      <ol className="aug-live-rollouts" style={{ listStyle: 'none', margin: '8px 0 0', padding: 0 }}>
        {rollouts.map(({ c, k }) => (
          <li key={k} data-testid="aug-live-rollout" data-total={c.total} data-advantage={c.advantage} style={{ borderTop: '1px solid var(--line)', padding: '4px 0' }}>
            <div>
              <b>#{k + 1}</b> reward <b data-testid="aug-live-reward">{fmt(c.total)}</b>{' '}
              <span className="muted">
                ({Object.entries(c.rewards)
                  .map(([name, r]) => `${name} ${fmt(r)}`)
                  .join(' · ')}
                )
              </span>{' '}
              · advantage{' '}
              <span className={c.advantage > 0 ? 'train-up' : c.advantage < 0 ? 'train-down' : 'muted'} data-testid="aug-live-advantage">
                {fmt(c.advantage, true)}
              </span>
              {c.clipped && (
                <span className="badge warn" title="Cut at the max completion length without an end token">
                  cut
                </span>
              )}
            </div>
            {c.text === '' ? (
              <span className="muted">(empty completion)</span>
            ) : (
              <pre className="train-completion-text" style={{ minWidth: 0, maxHeight: '4.5em' }}>
                {c.text}
              </pre>
            )}
          </li>
        ))}
      </ol>
    </article>
  );
}
