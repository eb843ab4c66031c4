// The AugmentConfig editor: whether training augments and which questions, K variants and how the G rollouts
// split across them, the operators, the redraw target, and the image transform ranges (flips off by default:
// they swap left and right).
import { defaultAugmentConfig } from '../../../augment/config.ts';
import { splitRollouts } from '../../../augment/group-builder.ts';
import { useAugmentStore } from '../../../store/augment.ts';
import { NumberField } from '../curriculum/fields.tsx';

const D = defaultAugmentConfig();

/** "4 × 2", or "3 + 3 + 2" when G does not divide evenly. */
export function splitText(groupSize: number, variants: number): string {
  const split = splitRollouts(groupSize, variants);
  const counts: number[] = [];
  for (const v of split) counts[v] = (counts[v] ?? 0) + 1;
  if (counts.every((c) => c === counts[0])) return `${counts.length} × ${counts[0]}`;
  return counts.join(' + ');
}

const OPS = [
  ['permute', 'Option permutation', 'Reorder the options; each variant gets its own gold letter.'],
  ['paraphrase', 'Question paraphrase', 'Re-phrase from the question’s template family (below).'],
  ['redraw', 'Distractor redraw', 'New distractors from the answers of the same question type.'],
  ['image', 'Image transforms', 'Small shifts, crops, brightness and contrast (ranges below).'],
] as const;

export function AugmentConfigCard() {
  const config = useAugmentStore((s) => s.config);
  const groupSize = useAugmentStore((s) => s.groupSize);
  const configError = useAugmentStore((s) => s.configError);
  const { setConfig, setOperators, setImage, setGroupSize, resetConfig } = useAugmentStore.getState();
  const k = Math.min(config.variants, groupSize);
  return (
    <div className="card" data-testid="aug-config">
      <div className="cur-head">
        <h2>Group Diversity Question Augmentation</h2>
        <button onClick={resetConfig}>Reset to defaults</button>
      </div>
      <div className="cur-two">
        <div>
          <label className="cur-check aug-enable">
            <input type="checkbox" checked={config.enabled} onChange={(e) => setConfig({ enabled: e.target.checked })} data-testid="aug-enabled" />
            <b>Augment groups in training</b> <span className="muted">(default off; the preview below shows the groups either way)</span>
          </label>
          <div className="cur-grid">
            <NumberField label="Variants K" value={config.variants} step={1} min={1} max={64} onChange={(v) => setConfig({ variants: Math.round(v) })} help={`Variants per augmented group. Default ${D.variants}.`} testId="aug-k" />
            <NumberField label="Rollouts G" value={groupSize} step={1} min={1} max={256} onChange={setGroupSize} help="Rollouts per group (the trainer’s G). Default 8." testId="aug-g" />
            <div className="cur-field">
              <span className="cur-field-label">Split of G (K × G/K)</span>
              <span className="aug-split" data-testid="aug-split">
                {splitText(groupSize, k)}
              </span>
              <span className="cur-field-help muted">Each rollout is scored against its own variant’s gold; advantages pool over all G.</span>
            </div>
            <NumberField label="Seed" value={config.seed} step={1} min={0} onChange={(v) => setConfig({ seed: Math.max(0, Math.round(v)) })} help="Same seed, same variants." />
          </div>
          <fieldset className="cur-radios">
            <legend>Apply to</legend>
            <label>
              <input type="radio" name="aug-apply" checked={config.applyTo === 'zero-variance'} onChange={() => setConfig({ applyTo: 'zero-variance' })} />
              <span>Zero-variance questions only (default): those whose last group had all-equal rewards, the paper’s “difficult queries”. A first visit is not augmented.</span>
            </label>
            <label>
              <input type="radio" name="aug-apply" checked={config.applyTo === 'all'} onChange={() => setConfig({ applyTo: 'all' })} />
              <span>Every question.</span>
            </label>
          </fieldset>
          <label className="cur-check">
            <input type="checkbox" checked={config.keepOriginal} onChange={(e) => setConfig({ keepOriginal: e.target.checked })} />
            Variant 0 is the question as given (default on)
          </label>
        </div>
        <div>
          <fieldset className="cur-radios aug-ops" data-testid="aug-operators">
            <legend>Operators</legend>
            {OPS.map(([key, label, help]) => (
              <label key={key}>
                <input type="checkbox" checked={config.operators[key]} onChange={(e) => setOperators({ [key]: e.target.checked })} data-testid={`aug-op-${key}`} />
                <span>
                  <b>{label}</b> <span className="muted">{help}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <div className="cur-grid">
            <label className="cur-field">
              <span className="cur-field-label">Redraw target</span>
              <select value={config.redrawTarget} onChange={(e) => setConfig({ redrawTarget: e.target.value as 'same' | 'any' })}>
                <option value="same">same S(q) (default)</option>
                <option value="any">any reachable S(q)</option>
              </select>
            </label>
            <NumberField label="Redraw tolerance" value={config.redrawTolerance} min={0} max={1} onChange={(v) => setConfig({ redrawTolerance: v })} help={`Accepted |S − target|. Default ${D.redrawTolerance}.`} />
          </div>
        </div>
      </div>
      <details className="cur-more" open={config.operators.image}>
        <summary>Image transform ranges</summary>
        <div className="cur-grid">
          <NumberField label="Largest shift" value={config.image.maxShift} min={0} max={0.5} onChange={(v) => setImage({ maxShift: v })} help={`Fraction of the side; 0 disables. Default ${D.image.maxShift}.`} />
          <NumberField label="Smallest crop" value={config.image.minCropScale} min={0.01} max={1} onChange={(v) => setImage({ minCropScale: v })} help={`Crop side as a fraction; 1 disables. Default ${D.image.minCropScale}.`} />
          <NumberField label="Largest brightness change" value={config.image.maxBrightness} min={0} max={1} onChange={(v) => setImage({ maxBrightness: v })} help={`Fraction of the range; 0 disables. Default ${D.image.maxBrightness}.`} />
          <NumberField label="Largest contrast change" value={config.image.maxContrast} min={0} max={1} onChange={(v) => setImage({ maxContrast: v })} help={`|factor − 1|; 0 disables. Default ${D.image.maxContrast}.`} />
        </div>
        <label className="cur-check">
          <input type="checkbox" checked={config.image.flip} onChange={(e) => setImage({ flip: e.target.checked })} data-testid="aug-flip" />
          Allow horizontal flips (default off)
        </label>
        <p className={config.image.flip ? 'cur-alert warn' : 'muted cur-note'} data-testid="aug-flip-warning">
          A flip swaps left and right: it changes the answer of laterality and position questions (“left kidney”, “top-left anatomy”). Keep it off unless no question depends on side.
        </p>
      </details>
      {configError && (
        <p className="cur-alert error" role="alert">
          {configError}
        </p>
      )}
    </div>
  );
}
