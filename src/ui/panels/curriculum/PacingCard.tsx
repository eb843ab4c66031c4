// Mode and pacing: how the curriculum changes what the trainer sees, the pacing function with every parameter
// (meaning and default beside it), the levels it paces between, and the run it is planned for.
import { CURRICULUM_MODES, defaultCurriculumConfig, type CurriculumMode } from '../../../curriculum/config.ts';
import { PACING_KINDS, type PacingKind } from '../../../curriculum/pacing.ts';
import { DEFAULT_PLAN, useCurriculumStore } from '../../../store/curriculum.ts';
import { NumberField } from './fields.tsx';

const MODE_TEXT: Record<CurriculumMode | 'off', string> = {
  reorder: 'Reorder: easy questions (low S(q)) first; the pool widens from the easiest share to all. Options as released.',
  redraw: 'Redraw: every question, distractors re-drawn from the answers of its question type to hit the pacing’s target S.',
  both: 'Both (default): easy questions first and distractors re-drawn to the target; needed to reach the paper’s low early S(q).',
  off: 'Off: plain GRPO sampling (seeded epochs over the data); S(q) is still measured.',
};

const PACING_TEXT: Record<PacingKind, string> = {
  holdRamp: 'Hold, then ramp (default, the paper’s curve)',
  stages: 'Stages (equal steps)',
  linear: 'Linear',
  root: 'Root (fast early, slow late)',
};

const D = defaultCurriculumConfig();

export function PacingCard() {
  const config = useCurriculumStore((s) => s.config);
  const configError = useCurriculumStore((s) => s.configError);
  const plan = useCurriculumStore((s) => s.plan);
  const { setConfig, setPacing, setMode, setPlan, resetConfig } = useCurriculumStore.getState();
  const mode: CurriculumMode | 'off' = config.enabled ? config.mode : 'off';
  const p = config.pacing;
  const redraws = config.enabled && config.mode !== 'reorder';
  const reorders = config.enabled && config.mode !== 'redraw';
  return (
    <div className="card" data-testid="cur-pacing">
      <div className="cur-head">
        <h2>Mode and pacing</h2>
        <button onClick={resetConfig} data-testid="cur-reset">Reset to defaults</button>
      </div>
      <div className="cur-two">
        <fieldset className="cur-radios" data-testid="cur-mode">
          <legend>Mode</legend>
          {[...CURRICULUM_MODES, 'off' as const].map((m) => (
            <label key={m}>
              <input type="radio" name="cur-mode" value={m} checked={mode === m} onChange={() => setMode(m)} data-testid={`cur-mode-${m}`} />
              <span>{MODE_TEXT[m]}</span>
            </label>
          ))}
        </fieldset>
        <div>
          <label className="cur-field">
            <span className="cur-field-label">Pacing function</span>
            <select value={p.kind} onChange={(e) => setPacing({ kind: e.target.value as PacingKind })} data-testid="cur-pacing-kind" disabled={!config.enabled}>
              {PACING_KINDS.map((k) => (
                <option key={k} value={k}>
                  {PACING_TEXT[k]}
                </option>
              ))}
            </select>
            <span className="cur-field-help muted">Level 0 = the easiest level, 1 = the natural level of the data, as a function of step / steps.</span>
          </label>
          <div className="cur-grid">
            {p.kind === 'holdRamp' && (
              <>
                <NumberField label="Hold until" value={p.holdUntil} min={0} max={1} onChange={(v) => setPacing({ holdUntil: v })} help={`Fraction of training held at the easiest level. Default ${D.pacing.holdUntil}.`} testId="cur-hold" />
                <NumberField label="Ramp until" value={p.rampUntil} min={0} max={1} onChange={(v) => setPacing({ rampUntil: v })} help={`Fraction by which the natural level is reached. Default ${D.pacing.rampUntil}.`} testId="cur-ramp" />
                <NumberField label="Middle plateau" value={p.plateauWidth} min={0} max={1} onChange={(v) => setPacing({ plateauWidth: v })} help={`Width of a pause at level 0.5 inside the ramp (0 = straight ramp). Default ${D.pacing.plateauWidth}.`} />
              </>
            )}
            {p.kind === 'stages' && (
              <NumberField label="Stages" value={p.stages} step={1} min={1} max={100} onChange={(v) => setPacing({ stages: Math.round(v) })} help={`Equal steps from easiest to natural. Default ${D.pacing.stages}.`} testId="cur-stages" />
            )}
            {p.kind === 'root' && (
              <NumberField label="Exponent" value={p.exponent} min={0.01} max={10} onChange={(v) => setPacing({ exponent: v })} help={`level = progress^exponent; 0.5 is the square root. Default ${D.pacing.exponent}.`} />
            )}
            {p.kind === 'linear' && <p className="muted cur-note">Linear: level = step / steps. No parameters.</p>}
          </div>
        </div>
      </div>
      <details className="cur-more" open>
        <summary>Levels, tolerances and the planned run</summary>
        <div className="cur-grid">
          <LevelField label="Easiest level (S at pacing 0)" value={config.easiestLevel} onChange={(v) => setConfig({ easiestLevel: v })} help="Off = each question’s own easiest reachable S (default)." disabled={!redraws} />
          <LevelField label="Natural level (S at pacing 1)" value={config.naturalLevel} onChange={(v) => setConfig({ naturalLevel: v })} help="Off = each question’s options as released (default)." disabled={!redraws} />
          <NumberField label="Start fraction" value={config.startFraction} min={0.01} max={1} onChange={(v) => setConfig({ startFraction: v })} help={`Reorder: share of the easiest questions available at level 0. Default ${D.startFraction}.`} disabled={!reorders} />
          <NumberField label="Redraw tolerance" value={config.tolerance} min={0} max={1} onChange={(v) => setConfig({ tolerance: v })} help={`Accepted |S − target|. Default ${D.tolerance}.`} disabled={!redraws} />
          <NumberField label="Redraw iterations" value={config.redrawIterations} step={10} min={0} onChange={(v) => setConfig({ redrawIterations: Math.round(v) })} help={`Swaps tried per question. Default ${D.redrawIterations}.`} disabled={!redraws} />
          <NumberField label="Steps of the run" value={plan.steps} step={10} min={1} onChange={(v) => setPlan({ steps: v })} help={`Pacing progress = step / steps. Default ${DEFAULT_PLAN.steps}.`} testId="cur-steps" />
          <NumberField label="Questions per step" value={plan.batchSize} step={1} min={1} onChange={(v) => setPlan({ batchSize: v })} help={`Batch size. Default ${DEFAULT_PLAN.batchSize}.`} />
          <NumberField label="Queue window" value={plan.window} step={1} min={1} max={20} onChange={(v) => setPlan({ window: v })} help={`Steps of the queue shown. Default ${DEFAULT_PLAN.window}.`} />
        </div>
      </details>
      {configError && (
        <p className="cur-alert error" role="alert" data-testid="cur-config-error">
          {configError}
        </p>
      )}
    </div>
  );
}

function LevelField({ label, value, onChange, help, disabled }: { label: string; value: number | null; onChange: (v: number | null) => void; help: string; disabled?: boolean }) {
  return (
    <div className="cur-field">
      <span className="cur-field-label">{label}</span>
      <div className="cur-level">
        <label className="cur-check">
          <input type="checkbox" checked={value !== null} disabled={disabled} onChange={(e) => onChange(e.target.checked ? 0.2 : null)} />
          fixed at
        </label>
        <NumberField label="" value={value ?? 0} min={0} max={1} disabled={disabled || value === null} onChange={(v) => onChange(Math.min(1, Math.max(0, v)))} ariaLabel={label} />
      </div>
      <span className="cur-field-help muted">{help}</span>
    </div>
  );
}
