// Where answer similarity comes from, the S(q) formula, the dataset analysed and the seed. Only the built-in
// lexicon is wired; the other two sources are listed with what they wait for, never faked.
import { SIMILARITY_FORMULA } from '../../../curriculum/difficulty.ts';
import { useCurriculumStore } from '../../../store/curriculum.ts';
import { useDatasetsStore } from '../../../store/datasets.ts';
import { NumberField } from './fields.tsx';

const SOURCES = [
  {
    id: 'lexicon',
    label: 'Built-in anatomy lexicon',
    note: 'Region, organ system, kind and part-of links between named structures (liver is close to gallbladder, far from femur); names it does not know fall back to character trigram cosine.',
    ready: true,
  },
  {
    id: 'policy',
    label: 'Policy embeddings',
    note: 'Cosine of the policy’s own embeddings of the option names. Arrives with the policy and the GRPO trainer (issue #6); not selectable yet.',
    ready: false,
  },
  {
    id: 'onnx',
    label: 'ONNX text-embedding model (drop model.onnx + tokenizer.json)',
    note: 'Any sentence-embedding model run with onnxruntime-web, tokenised by @huggingface/tokenizers. Not wired yet; not selectable.',
    ready: false,
  },
];

export function SourceCard() {
  const similarity = useCurriculumStore((s) => s.config.similarity);
  const seed = useCurriculumStore((s) => s.config.seed);
  const setConfig = useCurriculumStore((s) => s.setConfig);
  const chosen = useCurriculumStore((s) => s.chosenDatasetId);
  const choose = useCurriculumStore((s) => s.chooseDataset);
  const datasets = useDatasetsStore((s) => s.datasets);
  const analysis = useCurriculumStore((s) => s.analysis);
  return (
    <div className="card cur-source" data-testid="cur-source">
      <h2>Answer similarity and S(q)</h2>
      <div className="cur-two">
        <fieldset className="cur-radios">
          <legend>Similarity source</legend>
          {SOURCES.map((s) => (
            <label key={s.id} className={s.ready ? undefined : 'cur-disabled'}>
              <input type="radio" name="cur-similarity" checked={similarity === s.id} disabled={!s.ready} onChange={() => setConfig({ similarity: s.id })} />
              <span>
                <b>{s.label}</b>
                {!s.ready && <span className="badge warn">not wired yet</span>}
                <br />
                <span className="muted">{s.note}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <div>
          <p className="cur-formula" data-testid="cur-formula">
            <code>{SIMILARITY_FORMULA}</code>
          </p>
          <p className="muted cur-note">
            The mean similarity between the gold answer and each of the n − 1 distractors. High S(q) means confusable options: a hard
            question. The paper holds the batch mean near 0.145 for the first quarter of training and lets it rise to about 0.64 by 80%.
          </p>
          <div className="row">
            <label className="cur-field">
              <span className="cur-field-label">Dataset</span>
              <select value={chosen ?? ''} onChange={(e) => choose(e.target.value || null)} data-testid="cur-dataset">
                <option value="">As selected in the Data panel</option>
                {datasets.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name} ({d.recordCount.toLocaleString()} questions)
                  </option>
                ))}
              </select>
            </label>
            <NumberField label="Seed" value={seed} step={1} min={0} onChange={(v) => setConfig({ seed: Math.max(0, Math.round(v)) })} testId="cur-seed" />
          </div>
          <p className="muted cur-note">
            Deterministic: the same dataset, settings and seed give the same queue and the same redrawn options, here and in training.
            {analysis && (
              <>
                {' '}
                Analysing <b>{analysis.datasetName}</b>, {analysis.split === 'train' ? 'train split' : 'all records (no train split)'}:{' '}
                {analysis.questions.length.toLocaleString()} multiple-choice questions
                {analysis.skipped > 0 && `, ${analysis.skipped.toLocaleString()} open or single-option ones left out`}.
              </>
            )}
          </p>
        </div>
      </div>
    </div>
  );
}
