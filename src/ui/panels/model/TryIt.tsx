// The try-it box: pick a stored record, choose how to decode (greedy, or temperature / top-p / top-k), and
// let the loaded model answer it on this tab's GPU. The answer is shown as text, never as HTML.
import { useEffect } from 'react';
import { useDatasetsStore } from '../../../store/datasets.ts';
import { useModelStore } from '../../../store/model.ts';

function num(raw: string, lo: number, hi: number, integer = false): number {
  const n = Number(raw);
  if (!Number.isFinite(n)) return lo;
  const v = Math.min(hi, Math.max(lo, n));
  return integer ? Math.round(v) : v;
}

export function TryIt() {
  const current = useModelStore((s) => s.current);
  const tryIt = useModelStore((s) => s.tryIt);
  const pickDataset = useModelStore((s) => s.pickDataset);
  const pickRecord = useModelStore((s) => s.pickRecord);
  const setSampling = useModelStore((s) => s.setSampling);
  const generate = useModelStore((s) => s.generate);
  const datasets = useDatasetsStore((s) => s.datasets);
  const s = tryIt.sampling;

  useEffect(() => {
    if (!tryIt.datasetId && datasets.length > 0) void pickDataset(datasets[0].id);
  }, [datasets, tryIt.datasetId, pickDataset]);

  const record = tryIt.records.find((r) => r.id === tryIt.recordId) ?? null;
  return (
    <div className="card" data-testid="model-try-it">
      <h2>Try it</h2>
      <div className="row model-try-row">
        <label>
          dataset{' '}
          <select value={tryIt.datasetId ?? ''} onChange={(e) => void pickDataset(e.target.value)} disabled={datasets.length === 0}>
            {datasets.length === 0 && <option value="">no dataset stored</option>}
            {datasets.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
          </select>
        </label>
        <label className="model-record-pick">
          record{' '}
          <select value={tryIt.recordId ?? ''} onChange={(e) => pickRecord(e.target.value)} disabled={tryIt.records.length === 0} data-testid="try-record">
            {tryIt.records.map((r) => <option key={r.id} value={r.id}>{r.id}: {r.question.slice(0, 70)}</option>)}
          </select>
        </label>
      </div>
      <div className="row model-try-row">
        <label><input type="checkbox" checked={s.greedy} onChange={(e) => setSampling({ greedy: e.target.checked })} /> greedy</label>
        <label>temperature <input type="number" step={0.1} min={0} max={10} value={s.temperature} disabled={s.greedy} onChange={(e) => setSampling({ temperature: num(e.target.value, 0, 10) })} /></label>
        <label>top-p <input type="number" step={0.05} min={0} max={1} value={s.topP} disabled={s.greedy} onChange={(e) => setSampling({ topP: num(e.target.value, 0, 1) })} /></label>
        <label>top-k <input type="number" min={0} max={4096} value={s.topK} disabled={s.greedy} onChange={(e) => setSampling({ topK: num(e.target.value, 0, 4096, true) })} /></label>
        <label>max tokens <input type="number" min={1} max={512} value={s.maxNewTokens} onChange={(e) => setSampling({ maxNewTokens: num(e.target.value, 1, 512, true) })} /></label>
        <label>seed <input type="number" min={0} value={s.seed} disabled={s.greedy} onChange={(e) => setSampling({ seed: num(e.target.value, 0, 2 ** 31, true) })} /></label>
        <button className="primary" data-testid="try-generate" disabled={!current || !record || tryIt.running} onClick={() => void generate()}>
          {tryIt.running ? 'Generating…' : 'Generate'}
        </button>
      </div>
      {!current && <p className="muted">Load a model above first.</p>}
      {record && (
        <div className="model-question">
          {tryIt.thumb && <img className="model-thumb" src={tryIt.thumb} alt={`stored image of ${record.id}`} data-testid="try-thumb" />}
          <div className="model-question-text">
            <p><b>Question</b> {record.question}</p>
            {record.options.length > 0 && <ol className="model-options" type="A">{record.options.map((o, i) => <li key={i}>{o}</li>)}</ol>}
            <p className="muted">gold: {record.answer}</p>
          </div>
        </div>
      )}
      {tryIt.result && (
        <div className="model-answer" data-testid="try-answer">
          <pre className="model-completion">{tryIt.result.completion || '(empty)'}</pre>
          <p className="muted">
            {tryIt.result.tokens} tokens in {(tryIt.result.ms / 1000).toFixed(2)} s on {tryIt.result.engine} · {tryIt.result.finish === 'stop' ? 'stopped at its end tag' : 'hit the token limit'}
            {current?.name.includes('from scratch') || current?.extra.step === '0' ? ' · untrained weights answer with random tokens' : ''}
          </p>
        </div>
      )}
      {tryIt.error && <p className="model-error" role="alert">{tryIt.error}</p>}
    </div>
  );
}
