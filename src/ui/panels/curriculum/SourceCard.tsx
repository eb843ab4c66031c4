// Where answer similarity comes from (the built-in lexicon, the policy's own token embeddings, or a dropped ONNX
// text-embedding model with its tokenizer.json), the S(q) formula, the dataset analysed and the seed. The
// worker holds the policy and the ONNX model; this card only shows what it holds and hands it dropped files.
import { useEffect } from 'react';
import { FileDrop } from '../../widgets/FileDrop.tsx';
import { SIMILARITY_FORMULA } from '../../../curriculum/difficulty.ts';
import { useCurriculumStore } from '../../../store/curriculum.ts';
import { useDatasetsStore } from '../../../store/datasets.ts';
import { NumberField } from './fields.tsx';

function PolicyNote() {
  const sources = useCurriculumStore((s) => s.sources);
  const p = sources?.policy;
  if (!sources) return <span className="muted">Asking the engine which policy it holds…</span>;
  if (!p) return <span className="cur-alert error">{sources.policyError ?? 'No policy is available.'}</span>;
  return (
    <span className="muted" data-testid="cur-policy-info">
      Uses <b>{p.name}</b>
      {p.loaded ? ', the model loaded in the Model panel' : ' (nothing is loaded in the Model panel)'}: {p.vocabSize.toLocaleString()} tokens, {p.dim}-d
      token embeddings. Training runs use their own initial policy instead, embedded once when the run starts.
    </span>
  );
}

function OnnxDrop() {
  const sources = useCurriculumStore((s) => s.sources);
  const loadOnnx = useCurriculumStore((s) => s.loadOnnx);
  const status = useCurriculumStore((s) => s.onnxStatus);
  const error = useCurriculumStore((s) => s.onnxError);
  const similarity = useCurriculumStore((s) => s.config.similarity);
  const m = sources?.onnx;
  const stale = similarity.startsWith('onnx:') && m?.id !== similarity;
  return (
    <FileDrop
      className="dropzone cur-onnx-drop"
      testId="cur-onnx-drop"
      inputTestId="cur-onnx-input"
      label={<>Drop <code>model.onnx</code> + <code>tokenizer.json</code> here, or</>}
      button="Choose the two files…"
      accept=".onnx,.json"
      multiple
      busy={status === 'loading'}
      busyText="Reading the model…"
      onFiles={(files) => void loadOnnx(files)}
    >
      {m && (
        <p className="cur-note" data-testid="cur-onnx-info">
          Loaded <b>{m.name}</b> ({m.modelFile} + {m.tokenizerFile}): {m.dim}-d embeddings, vocabulary of {m.vocabSize.toLocaleString()} tokens,{' '}
          {m.output.pooling === 'pooled' ? (
            <>its pooled output <code>{m.output.name}</code></>
          ) : (
            <>mean of <code>{m.output.name}</code> over the attention mask</>
          )}
          ; fed {m.inputs.join(', ')}. Run on onnxruntime-web (wasm); kept until the page is reloaded.
        </p>
      )}
      {stale && (
        <p className="cur-note cur-alert error" data-testid="cur-onnx-stale">
          The chosen source <code>{similarity}</code> needs its model: drop its model.onnx and tokenizer.json again (models are not kept over a reload).
        </p>
      )}
      {error && (
        <p className="cur-note cur-alert error" role="alert" data-testid="cur-onnx-error">
          {error}
        </p>
      )}
    </FileDrop>
  );
}

export function SourceCard() {
  const similarity = useCurriculumStore((s) => s.config.similarity);
  const seed = useCurriculumStore((s) => s.config.seed);
  const setConfig = useCurriculumStore((s) => s.setConfig);
  const chosen = useCurriculumStore((s) => s.chosenDatasetId);
  const choose = useCurriculumStore((s) => s.chooseDataset);
  const datasets = useDatasetsStore((s) => s.datasets);
  const analysis = useCurriculumStore((s) => s.analysis);
  const sources = useCurriculumStore((s) => s.sources);
  const refreshSources = useCurriculumStore((s) => s.refreshSources);
  useEffect(() => {
    void refreshSources();
  }, [refreshSources]);
  const onnx = sources?.onnx ?? null;
  return (
    <div className="card cur-source" data-testid="cur-source">
      <h2>Answer similarity and S(q)</h2>
      <div className="cur-two">
        <fieldset className="cur-radios">
          <legend>Similarity source</legend>
          <label>
            <input type="radio" name="cur-similarity" data-testid="cur-sim-lexicon" checked={similarity === 'lexicon'} onChange={() => setConfig({ similarity: 'lexicon' })} />
            <span>
              <b>Built-in anatomy lexicon</b>
              <br />
              <span className="muted">
                Region, organ system, kind and part-of links between named structures (liver is close to gallbladder, far from femur); names it
                does not know fall back to character trigram cosine.
              </span>
            </span>
          </label>
          <label>
            <input
              type="radio"
              name="cur-similarity"
              data-testid="cur-sim-policy"
              checked={similarity === 'policy'}
              onChange={() => {
                setConfig({ similarity: 'policy' });
                void refreshSources();
              }}
            />
            <span>
              <b>Policy embeddings</b>
              <br />
              <span className="muted">
                Each option name is tokenised with the policy’s tokenizer and embedded as the mean of its tokens’ rows of the decoder’s token
                embeddings; similarity = max(0, cosine).{' '}
              </span>
              <PolicyNote />
            </span>
          </label>
          <label className={onnx ? undefined : 'cur-disabled'}>
            <input
              type="radio"
              name="cur-similarity"
              data-testid="cur-sim-onnx"
              checked={similarity.startsWith('onnx:')}
              disabled={!onnx}
              onChange={() => onnx && setConfig({ similarity: onnx.id })}
            />
            <span>
              <b>ONNX text-embedding model{onnx ? `: ${onnx.id}` : ''}</b>
              {!onnx && <span className="badge">drop a model to choose it</span>}
              <br />
              <span className="muted">
                Any sentence-embedding model (e.g. a MiniLM export) run with onnxruntime-web and tokenised by @huggingface/tokenizers: its pooled
                output, or its token states mean-pooled over the attention mask; similarity = max(0, cosine).
              </span>
            </span>
          </label>
          <OnnxDrop />
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
          {analysis && (
            <p className="cur-note" data-testid="cur-source-used">
              S(q) below is measured with <b>{analysis.source.label}</b>.
            </p>
          )}
        </div>
      </div>
    </div>
  );
}
