// The loaded checkpoint: where it came from, its config, tokenizer size and parameter count, the two exports,
// and the ways to load another (pretrained default, a dropped .safetensors, a preset from scratch).
import { useRef, useState } from 'react';
import { MODEL_PRESETS, numImageTokens, type PresetName } from '../../../model/config.ts';
import { useDatasetsStore } from '../../../store/datasets.ts';
import { useModelStore } from '../../../store/model.ts';
import { formatBytes, formatCount } from '../../widgets/format.ts';
import { downloadFile } from '../../widgets/download.ts';

const PRESETS = Object.keys(MODEL_PRESETS) as PresetName[];

const blocks = (n: number): string => `${n} block${n === 1 ? '' : 's'}`;

export function CheckpointCard() {
  const current = useModelStore((s) => s.current);
  const status = useModelStore((s) => s.status);
  const loadError = useModelStore((s) => s.loadError);
  const pretrainedAvailable = useModelStore((s) => s.pretrainedAvailable);
  const pretrainedPath = useModelStore((s) => s.pretrainedPath);
  const exporting = useModelStore((s) => s.exporting);
  const exportError = useModelStore((s) => s.exportError);
  const lastExport = useModelStore((s) => s.lastExport);
  const load = useModelStore((s) => s.load);
  const loadFile = useModelStore((s) => s.loadFile);
  const loadScratch = useModelStore((s) => s.loadScratch);
  const exportAs = useModelStore((s) => s.exportAs);
  const datasets = useDatasetsStore((s) => s.datasets);
  const [preset, setPreset] = useState<PresetName>('tiny');
  const [datasetId, setDatasetId] = useState('');
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const busy = status === 'loading';
  const chosenDataset = datasetId || datasets[0]?.id || '';

  const save = async (format: 'onnx' | 'safetensors') => {
    const out = await exportAs(format);
    if (out) downloadFile(out.fileName, out.bytes, 'application/octet-stream');
  };

  return (
    <div className="card model-card" data-testid="model-checkpoint">
      <h2>Checkpoint</h2>
      {current ? (
        <div className="model-summary" data-testid="model-summary">
          <div className="model-summary-head">
            <span className="model-name">{current.name}</span>
            <span className="muted">
              {formatCount(current.parameters)} parameters ({current.parameters.toLocaleString('en-US')}) · {current.tensors} tensors · tokenizer {current.tokenizerSize.toLocaleString('en-US')} tokens · {formatBytes(current.parameters * 4)} of float32 weights
            </span>
          </div>
          <dl className="model-config" data-testid="model-config">
            <div><dt>image</dt><dd>{current.config.imageSize}² px in {current.config.patchSize}px patches → {numImageTokens(current.config)} tokens</dd></div>
            <div><dt>encoder</dt><dd>{blocks(current.config.visionDepth)} × {current.config.visionWidth} wide, {current.config.visionHeads} heads</dd></div>
            <div><dt>projector</dt><dd>{current.config.projector}</dd></div>
            <div><dt>decoder</dt><dd>{blocks(current.config.decoderDepth)} × {current.config.decoderWidth} wide, {current.config.decoderHeads} heads</dd></div>
            <div><dt>sequence</dt><dd>{current.config.maxSeqLen} tokens, {current.config.positions} positions</dd></div>
            <div><dt>norm</dt><dd>{current.config.norm}, MLP ×{current.config.mlpRatio}</dd></div>
            <div><dt>LM head</dt><dd>{current.config.tieEmbeddings ? 'tied to the embedding' : 'separate'}</dd></div>
            <div><dt>vocabulary</dt><dd>{current.config.vocabSize.toLocaleString('en-US')}</dd></div>
          </dl>
          <div className="row">
            <button className="primary" data-testid="export-onnx" disabled={exporting !== null || busy} onClick={() => void save('onnx')}>
              {exporting === 'onnx' ? 'Exporting ONNX…' : 'Export ONNX'}
            </button>
            <button data-testid="export-safetensors" disabled={exporting !== null || busy} onClick={() => void save('safetensors')}>
              {exporting === 'safetensors' ? 'Exporting…' : 'Export safetensors'}
            </button>
            <span className="muted">ONNX: image + token ids → logits (opset 17), the same weights; safetensors: the checkpoint with its config and tokenizer.</span>
          </div>
          {lastExport && <p className="model-ok" data-testid="export-done">Saved {lastExport.fileName} ({formatBytes(lastExport.bytes)}).</p>}
          {exportError && <p className="model-error" role="alert">{exportError}</p>}
        </div>
      ) : (
        <p className="muted" data-testid="model-none">{busy ? 'Loading…' : 'No model loaded yet.'}</p>
      )}

      <h3 className="model-subhead">Load another</h3>
      <div className="model-sources">
        <div className="model-source">
          <b>Pretrained default</b>
          <p className="muted">
            {pretrainedAvailable === null ? 'Checking…' : pretrainedAvailable ? `public/${pretrainedPath}` : `Not in this build (public/${pretrainedPath}).`}
          </p>
          <button disabled={!pretrainedAvailable || busy} onClick={() => void load({ kind: 'pretrained' })}>Load pretrained</button>
        </div>
        <div
          className={`model-source model-drop${over ? ' over' : ''}`}
          data-testid="model-dropzone"
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={(e) => {
            e.preventDefault();
            setOver(false);
            const f = e.dataTransfer.files[0];
            if (f && !busy) void loadFile(f);
          }}
        >
          <b>Your checkpoint</b>
          <p className="muted">Drop a .safetensors file here. Its tensors must match the config in its metadata.</p>
          <button disabled={busy} onClick={() => input.current?.click()}>Choose .safetensors…</button>
          <input
            ref={input}
            type="file"
            accept=".safetensors"
            hidden
            data-testid="model-file-input"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void loadFile(f);
              e.target.value = '';
            }}
          />
        </div>
        <div className="model-source">
          <b>From scratch</b>
          <p className="muted">Fresh weights of a preset, with a tokenizer learned from a stored dataset's text.</p>
          <div className="row">
            <select aria-label="preset" value={preset} onChange={(e) => setPreset(e.target.value as PresetName)}>
              {PRESETS.map((p) => <option key={p} value={p}>{p}</option>)}
            </select>
            <select aria-label="tokenizer dataset" value={chosenDataset} onChange={(e) => setDatasetId(e.target.value)} disabled={datasets.length === 0}>
              {datasets.length === 0 && <option value="">no dataset stored</option>}
              {datasets.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
            </select>
            <button data-testid="load-scratch" disabled={!chosenDataset || busy} onClick={() => void loadScratch(preset, chosenDataset)}>Create</button>
          </div>
        </div>
      </div>
      {busy && <p className="muted">Loading the model…</p>}
      {loadError && <p className="model-error" role="alert" data-testid="model-load-error">{loadError}</p>}
    </div>
  );
}
