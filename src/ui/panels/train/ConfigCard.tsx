// The run configuration: dataset, model and starting weights, every GRPO setting (G, clip range, KL weight,
// learning rate, batch, steps, seed, sampling, loss aggregation, advantage scaling, dynamic sampling, GPG), the
// curriculum and augmentation switches with links to their panels, and evaluation. Each field says what it does
// and its default. Locked while a run is in flight: a running run keeps the config it started with.
import { LOSS_TYPES, SCALE_REWARDS, type LossType, type ScaleRewards } from '../../../rl/config.ts';
import type { AugmentApplyTo } from '../../../augment/config.ts';
import { useAugmentStore } from '../../../store/augment.ts';
import { useDatasetsStore } from '../../../store/datasets.ts';
import { autoRunName, defaultTrainForm, useTrainingStore, type TrainForm } from '../../../store/training.ts';
import { useUiStore } from '../../../store/ui.ts';
import { CheckField, NumberField, numberText, SelectField, TextField } from './fields.tsx';

const D = defaultTrainForm();
const G = D.grpo;

const LOSS_TEXT: Record<LossType, string> = {
  grpo: 'grpo: mean over tokens per completion, then over completions',
  bnpo: 'bnpo: mean over all tokens of the batch (ms-swift, the paper’s base)',
  dapo: 'dapo: token-level mean, as DAPO',
  dr_grpo: 'dr_grpo: sum / (N · max completion length)',
};
const SCALE_TEXT: Record<ScaleRewards, string> = {
  group: 'group: (r − mean) / (group std + 1e-4)',
  batch: 'batch: (r − group mean) / (batch std + 1e-4)',
  none: 'none: r − group mean (Dr. GRPO)',
};

export function ConfigCard({ locked }: { locked: boolean }) {
  const form = useTrainingStore((s) => s.form);
  const formError = useTrainingStore((s) => s.formError);
  const datasets = useDatasetsStore((s) => s.datasets);
  const browsed = useDatasetsStore((s) => s.browser.datasetId);
  const { setForm, setGrpo, resetForm } = useTrainingStore.getState();
  const openPanel = useUiStore((s) => s.openPanel);
  // GDQA's mode and K live in the Augmentation panel's config (the run takes them from there); shown here too.
  const gdqa = useAugmentStore((s) => s.config);
  const setGdqa = useAugmentStore((s) => s.setConfig);
  const g = form.grpo;
  const browsedName = datasets.find((d) => d.id === browsed)?.name ?? datasets[0]?.name;

  return (
    <div className="card" data-testid="train-config">
      <div className="train-head">
        <h2>Configuration</h2>
        <span className="train-spacer" />
        <button onClick={resetForm} disabled={locked} data-testid="train-reset">
          Reset to defaults
        </button>
      </div>
      {locked && <p className="muted train-locked">A run is in flight: it keeps the settings it started with. Pause or stop it to change them.</p>}
      <fieldset disabled={locked} className="train-fieldset">
        <h3>Data and model</h3>
        <div className="train-grid">
          <SelectField<string>
            label="Dataset"
            value={form.datasetId ?? ''}
            options={[{ value: '', text: browsedName ?? 'The Data panel’s' }, ...datasets.map((d) => ({ value: d.id, text: `${d.name} · ${d.recordCount.toLocaleString()}` }))]}
            onChange={(v) => setForm({ datasetId: v || null })}
            help="Stored dataset whose questions are trained on."
            def="the one open in the Data panel"
            testId="train-dataset"
          />
          <TextField label="Train split" value={form.trainSplit} onChange={(v) => setForm({ trainSplit: v })} help="Split whose questions are trained on." def={D.trainSplit} testId="train-split" />
          <SelectField<TrainForm['preset']>
            label="Model preset"
            value={form.preset}
            options={[
              { value: 'micro', text: 'micro' },
              { value: 'tiny', text: 'tiny' },
            ]}
            onChange={(v) => setForm({ preset: v })}
            help="micro: fast, for tests and the CPU; tiny: about 2M parameters."
            def={D.preset}
            testId="train-preset"
          />
          <SelectField<TrainForm['init']>
            label="Starting weights"
            value={form.init}
            options={[
              { value: 'pretrained', text: 'pretrained' },
              { value: 'scratch', text: 'scratch' },
            ]}
            onChange={(v) => setForm({ init: v })}
            help="pretrained: the preset’s committed policy (SFT on AnatomySynth: micro on its location questions, tiny on all); scratch: random weights from the seed."
            def={D.init}
            testId="train-init"
          />
          <SelectField<TrainForm['backend']>
            label="Engine"
            value={form.backend}
            options={[
              { value: 'auto', text: 'auto' },
              { value: 'webgpu', text: 'WebGPU' },
              { value: 'cpu', text: 'CPU (slow)' },
            ]}
            onChange={(v) => setForm({ backend: v })}
            help="auto: WebGPU when there is a device, else the CPU backend."
            def={D.backend}
            testId="train-backend"
          />
          <TextField label="Run name" value={form.name} onChange={(v) => setForm({ name: v })} placeholder={autoRunName(form)} help="Shown in the Runs panel." def="made from preset, init and seed" testId="train-name" />
        </div>

        <h3>GRPO</h3>
        <div className="train-grid">
          <NumberField label="G (group size)" value={g.groupSize} min={2} max={64} step={1} onChange={(v) => setGrpo({ groupSize: v })} help="Completions sampled per question." def={String(G.groupSize)} testId="train-G" />
          <NumberField label="Batch size (B)" value={g.batchSize} min={1} step={1} onChange={(v) => setGrpo({ batchSize: v })} help="Questions per step; each brings G completions." def={String(G.batchSize)} testId="train-batch" />
          <NumberField label="Steps" value={g.steps} min={1} step={1} onChange={(v) => setGrpo({ steps: v })} help="GRPO steps in the run." def={String(G.steps)} testId="train-steps" />
          <NumberField label="Seed" value={g.seed} min={0} step={1} onChange={(v) => setGrpo({ seed: v })} help="Seed of every random choice: same config and seed, same run." def={String(G.seed)} testId="train-seed" />
          <NumberField label="Learning rate" value={g.learningRate} min={0} onChange={(v) => setGrpo({ learningRate: v })} help="AdamW step size; tiny presets tolerate 1e-4." def={numberText(G.learningRate)} testId="train-lr" />
          <NumberField label="epsLow" value={g.epsLow} min={0} max={1} step={0.01} onChange={(v) => setGrpo({ epsLow: v })} help="The ratio is clipped at 1 − epsLow." def={String(G.epsLow)} testId="train-epsLow" />
          <NumberField label="epsHigh" value={g.epsHigh} min={0} step={0.01} onChange={(v) => setGrpo({ epsHigh: v })} help="The ratio is clipped at 1 + epsHigh (DAPO: 0.28)." def={String(G.epsHigh)} testId="train-epsHigh" />
          <NumberField label="beta (KL weight)" value={g.beta} min={0} step={0.01} onChange={(v) => setGrpo({ beta: v })} help="Weight of the k3 KL to the frozen reference; 0 keeps no reference." def={String(G.beta)} testId="train-beta" />
          <NumberField label="Temperature" value={g.temperature} min={0.01} step={0.1} onChange={(v) => setGrpo({ temperature: v })} help="Sampling temperature of rollouts." def={String(G.temperature)} testId="train-temperature" />
          <NumberField label="Max completion length" value={g.maxCompletionLength} min={1} step={1} onChange={(v) => setGrpo({ maxCompletionLength: v })} help="Most tokens per completion; longer ones are cut." def={String(G.maxCompletionLength)} testId="train-maxlen" />
          <NumberField label="numIterations (μ)" value={g.numIterations} min={1} max={16} step={1} onChange={(v) => setGrpo({ numIterations: v })} help="Policy updates per sampled batch; above 1 clipping acts." def={String(G.numIterations)} testId="train-iterations" />
          <SelectField<LossType>
            label="lossType"
            value={g.lossType}
            options={LOSS_TYPES.map((t) => ({ value: t, text: t }))}
            onChange={(v) => setGrpo({ lossType: v })}
            help={`How per-token losses are averaged; ${LOSS_TEXT[g.lossType]}.`}
            def={G.lossType}
            testId="train-lossType"
          />
          <SelectField<ScaleRewards>
            label="scaleRewards"
            value={g.scaleRewards}
            options={SCALE_REWARDS.map((t) => ({ value: t, text: t }))}
            onChange={(v) => setGrpo({ scaleRewards: v })}
            help={`What the centred rewards are divided by; ${SCALE_TEXT[g.scaleRewards]}.`}
            def={G.scaleRewards}
            testId="train-scaleRewards"
          />
          <NumberField label="Checkpoint every" value={g.checkpointEvery} min={0} step={1} onChange={(v) => setGrpo({ checkpointEvery: v })} help="Steps between checkpoints (also on pause); 0 = only on pause and at the end." def={String(G.checkpointEvery)} testId="train-ckpt-every" />
          <NumberField label="SFT warm-start steps" value={g.sft.steps} min={0} step={1} onChange={(v) => setGrpo({ sft: { ...g.sft, steps: v } })} help="Supervised steps on the gold answer before GRPO; 0 = none." def={String(G.sft.steps)} testId="train-sft-steps" />
        </div>

        <h3>Baselines and the paper’s fixes</h3>
        <div className="train-grid">
          <CheckField
            label="Dynamic sampling (DAPO)"
            checked={g.dynamicSampling.enabled}
            onChange={(v) => setGrpo({ dynamicSampling: { ...g.dynamicSampling, enabled: v } })}
            help={`Drop groups whose rewards are all equal and refill the batch, at most ${g.dynamicSampling.maxResamples} extra rounds per step.`}
            def="off"
            testId="train-dynamic"
          />
          <NumberField
            label="Max resamples"
            value={g.dynamicSampling.maxResamples}
            min={0}
            step={1}
            disabled={!g.dynamicSampling.enabled}
            onChange={(v) => setGrpo({ dynamicSampling: { ...g.dynamicSampling, maxResamples: v } })}
            help="Extra sampling rounds per step before training on what there is."
            def={String(G.dynamicSampling.maxResamples)}
            testId="train-resamples"
          />
          <CheckField label="GPG rescaling" checked={g.gpgRescale} onChange={(v) => setGrpo({ gpgRescale: v })} help="Scale the loss by B / (B − M), M = completions with zero advantage." def="off" testId="train-gpg" />
          <CheckField
            label="Curriculum (ASCL)"
            checked={form.curriculumOn}
            onChange={(v) => setForm({ curriculumOn: v })}
            help="Easy (dissimilar) options first, confusable later, with the Curriculum panel’s settings."
            def="off (plain GRPO)"
            testId="train-curriculum"
            extra={
              <button type="button" className="link" onClick={() => openPanel('curriculum')} data-testid="train-open-curriculum">
                settings
              </button>
            }
          />
          <CheckField
            label="Augmentation (GDQA)"
            checked={form.augmentOn}
            onChange={(v) => setForm({ augmentOn: v })}
            help="Each group split across re-phrased, re-ordered variants, with the Augmentation panel’s settings."
            def="off"
            testId="train-augment"
            extra={
              <button type="button" className="link" onClick={() => openPanel('augmentation')} data-testid="train-open-augment">
                settings
              </button>
            }
          />
          <SelectField<AugmentApplyTo>
            label="GDQA applies to"
            value={gdqa.applyTo}
            options={[
              { value: 'zero-variance', text: 'zero-variance questions' },
              { value: 'all', text: 'every question' },
            ]}
            disabled={!form.augmentOn}
            onChange={(v) => setGdqa({ applyTo: v })}
            help="zero-variance: only questions whose last group had all-equal rewards (a first visit is not augmented); every: all groups."
            def="zero-variance questions"
            testId="train-augment-apply"
          />
          <NumberField
            label="GDQA variants K"
            value={gdqa.variants}
            min={1}
            max={64}
            step={1}
            disabled={!form.augmentOn}
            onChange={(v) => setGdqa({ variants: Math.round(v) })}
            help={`Variants per augmented group; the G = ${g.groupSize} rollouts are split across them. Operators and templates: settings.`}
            def="4"
            testId="train-augment-k"
          />
        </div>

        <h3>Rewards, evaluation and inspector</h3>
        <div className="train-grid">
          <NumberField label="Format weight" value={g.rewardWeights.format} step={0.5} onChange={(v) => setGrpo({ rewardWeights: { ...g.rewardWeights, format: v } })} help="Weight of the format reward (<think>…</think> <answer>…</answer>)." def={String(G.rewardWeights.format)} testId="train-w-format" />
          <NumberField label="Accuracy weight" value={g.rewardWeights.accuracy} step={0.5} onChange={(v) => setGrpo({ rewardWeights: { ...g.rewardWeights, accuracy: v } })} help="Weight of the accuracy reward (gold letter or text)." def={String(G.rewardWeights.accuracy)} testId="train-w-accuracy" />
          <NumberField label="Length weight" value={g.rewardWeights.length} step={0.5} onChange={(v) => setGrpo({ rewardWeights: { ...g.rewardWeights, length: v } })} help={`DAPO soft overlong penalty over the last ${g.lengthPenaltyCache} tokens; 0 = off.`} def={String(G.rewardWeights.length)} testId="train-w-length" />
          <CheckField label="Evaluate before and after" checked={form.eval.enabled} onChange={(v) => setForm({ eval: { ...form.eval, enabled: v } })} help={`Greedy accuracy on the '${form.eval.split}' split before the first and after the last step.`} def="on" testId="train-eval" />
          <NumberField label="Evaluation questions" value={form.eval.maxQuestions} min={1} step={1} disabled={!form.eval.enabled} onChange={(v) => setForm({ eval: { ...form.eval, maxQuestions: v } })} help="Most held-out questions evaluated (seeded choice)." def={String(D.eval.maxQuestions)} testId="train-eval-n" />
          <NumberField label="Inspector groups" value={form.inspectorGroups} min={0} max={32} step={1} onChange={(v) => setForm({ inspectorGroups: v })} help="Groups of each step shown below; 0 = none." def={String(D.inspectorGroups)} testId="train-inspector-n" />
        </div>
      </fieldset>
      {formError && (
        <p className="train-alert error" role="alert" data-testid="train-form-error">
          {formError}
        </p>
      )}
    </div>
  );
}
