// Which model to evaluate: the pretrained default, a training run's checkpoint, a dropped .safetensors
// checkpoint, or a dropped ONNX model with its tokenizer. Files are read here and held until a run sends them.
import { useEvaluationStore, type SourceKind } from '../../../store/evaluation.ts';
import { formatBytes } from '../../../data/intake/intake-file.ts';

const KINDS: Array<{ kind: SourceKind; label: string }> = [
  { kind: 'pretrained', label: 'Pretrained default' },
  { kind: 'checkpoint', label: "A run's checkpoint" },
  { kind: 'file', label: 'A .safetensors file' },
  { kind: 'onnx', label: 'An ONNX model' },
];

async function readBytes(file: File): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}

export function SourcePicker({ disabled }: { disabled: boolean }) {
  const source = useEvaluationStore((s) => s.setup.source);
  const checkpointRunId = useEvaluationStore((s) => s.setup.checkpointRunId);
  const file = useEvaluationStore((s) => s.setup.file);
  const onnx = useEvaluationStore((s) => s.setup.onnx);
  const tokenizer = useEvaluationStore((s) => s.setup.tokenizer);
  const provider = useEvaluationStore((s) => s.setup.executionProvider);
  const pretrained = useEvaluationStore((s) => s.pretrained);
  const checkpoints = useEvaluationStore((s) => s.checkpoints);
  const update = useEvaluationStore((s) => s.update);

  const onDrop = async (files: FileList | null) => {
    for (const f of Array.from(files ?? [])) {
      const lower = f.name.toLowerCase();
      if (lower.endsWith('.safetensors')) update({ source: 'file', file: { name: f.name, bytes: await readBytes(f) } });
      else if (lower.endsWith('.onnx')) update({ source: 'onnx', onnx: { name: f.name, bytes: await readBytes(f) } });
      else if (lower.endsWith('.json')) update({ tokenizer: { name: f.name, text: await f.text() } });
    }
  };

  return (
    <fieldset className="eval-fieldset" disabled={disabled}>
      <legend>Model</legend>
      <div className="eval-radios" role="radiogroup" aria-label="model source">
        {KINDS.map(({ kind, label }) => (
          <label key={kind}>
            <input type="radio" name="eval-source" checked={source === kind} onChange={() => update({ source: kind })} /> {label}
          </label>
        ))}
      </div>
      <div
        className="eval-source-body"
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          void onDrop(e.dataTransfer.files);
        }}
      >
        {source === 'pretrained' && (
          <p className={pretrained && !pretrained.available ? 'eval-warn' : 'muted'} data-testid="eval-pretrained-status">
            {pretrained === null
              ? 'Looking for the pretrained default…'
              : pretrained.available
                ? `AnatomySynth-micro, the lab's pretrained policy (${formatBytes(pretrained.bytes)}).`
                : `The pretrained default is not available: ${pretrained.message}. Pick a run's checkpoint or drop a .safetensors file.`}
          </p>
        )}
        {source === 'checkpoint' &&
          (checkpoints.length === 0 ? (
            <p className="muted">No stored training checkpoints yet. Train a policy in the Train panel, or drop a .safetensors file.</p>
          ) : (
            <label>
              Run{' '}
              <select aria-label="checkpoint run" className="eval-wide" value={checkpointRunId} onChange={(e) => update({ checkpointRunId: e.target.value })}>
                <option value="">choose…</option>
                {checkpoints.map((c) => (
                  <option key={c.runId} value={c.runId}>
                    {c.name} · {c.state} · checkpoint at step {c.lastCheckpointStep} of {c.total}
                    {c.savedAt ? ` · ${c.savedAt.slice(0, 16).replace('T', ' ')}` : ''}
                  </option>
                ))}
              </select>{' '}
              <span className="muted">the run’s latest checkpoint (the Train panel keeps one per run)</span>
            </label>
          ))}
        {source === 'file' && (
          <div className="row">
            <label className="eval-file">
              <span>{file ? `${file.name} (${formatBytes(file.bytes.byteLength)})` : 'Drop a .safetensors checkpoint here, or'}</span>
              <input type="file" accept=".safetensors" data-testid="eval-checkpoint-input" onChange={(e) => void onDrop(e.target.files)} />
            </label>
          </div>
        )}
        {source === 'onnx' && (
          <div className="eval-onnx">
            <label className="eval-file">
              <span>{onnx ? `${onnx.name} (${formatBytes(onnx.bytes.byteLength)})` : 'ONNX model (.onnx)'}</span>
              <input type="file" accept=".onnx" data-testid="eval-onnx-input" onChange={(e) => void onDrop(e.target.files)} />
            </label>
            <label className="eval-file">
              <span>{tokenizer ? tokenizer.name : "Tokenizer (.json), if the model doesn't carry one"}</span>
              <input type="file" accept=".json" data-testid="eval-tokenizer-input" onChange={(e) => void onDrop(e.target.files)} />
            </label>
            <label>
              Runs on{' '}
              <select aria-label="execution provider" value={provider} onChange={(e) => update({ executionProvider: e.target.value as 'webgpu' | 'wasm' })}>
                <option value="webgpu">WebGPU</option>
                <option value="wasm">wasm (CPU)</option>
              </select>
            </label>
            <p className="muted">onnxruntime-web keeps its own GPU device; the lab&apos;s device is untouched.</p>
          </div>
        )}
      </div>
    </fieldset>
  );
}
