// The Model panel: the loaded checkpoint (pretrained default, a dropped .safetensors, or a preset from
// scratch) with its ONNX and safetensors downloads, a try-it box on a stored record, and the policy presets
// with their exact parameter counts and a memory plan for a GRPO step, checked against the adapter's limits.
import { useEffect, useMemo, useState } from 'react';
import { MODEL_PRESETS, maxTextTokens, memoryEstimate, numImageTokens, parameterCount, type ModelConfig, type PresetName } from '../../model/config.ts';
import { useDatasetsStore } from '../../store/datasets.ts';
import { useDeviceStore } from '../../store/device.ts';
import { useModelStore } from '../../store/model.ts';
import { formatBytes, formatCount } from '../widgets/format.ts';
import { Panel } from '../widgets/Panel.tsx';
import { CheckpointCard } from './model/CheckpointCard.tsx';
import { TryIt } from './model/TryIt.tsx';

const PRESETS = Object.keys(MODEL_PRESETS) as PresetName[];

export function ModelPanel() {
  const [batch, setBatch] = useState(4);
  const [groupSize, setGroupSize] = useState(8);
  const adapter = useDeviceStore((s) => s.state.adapter);
  const initModel = useModelStore((s) => s.init);
  const initDatasets = useDatasetsStore((s) => s.init);
  useEffect(() => {
    void initModel();
    void initDatasets();
  }, [initModel, initDatasets]);
  const rows = useMemo(
    () =>
      PRESETS.map((name) => {
        const config = MODEL_PRESETS[name];
        const seqLen = Math.min(96, maxTextTokens(config));
        const memory = memoryEstimate(config, { batch, seqLen, groupSize });
        return { name, config, seqLen, params: parameterCount(config), memory, largest: largestBuffer(config, batch * groupSize, seqLen) };
      }),
    [batch, groupSize],
  );
  return (
    <Panel id="model" title="Model" lede="The policy: a ViT-style image encoder, a projector, and a causal language decoder that reads the image tokens as a prefix (LLaVA-style), all running on this tab's GPU.">
      <CheckpointCard />
      <TryIt />
      <div className="card">
        <h2>Presets</h2>
        <div className="row" style={{ marginBottom: 8 }}>
          <label>
            questions per step{' '}
            <input type="number" min={1} max={64} value={batch} onChange={(e) => setBatch(clampInt(e.target.value, 1, 64))} />
          </label>
          <label>
            completions per question (G){' '}
            <input type="number" min={2} max={64} value={groupSize} onChange={(e) => setGroupSize(clampInt(e.target.value, 2, 64))} />
          </label>
          <span className="muted">Memory is a planning estimate for one GRPO step in float32, not a measurement.</span>
        </div>
        <table className="data" data-testid="preset-table">
          <thead>
            <tr>
              <th>preset</th>
              <th className="num">image</th>
              <th className="num">image tokens</th>
              <th className="num">encoder</th>
              <th className="num">decoder</th>
              <th className="num">parameters</th>
              <th className="num">weights</th>
              <th className="num">AdamW state</th>
              <th className="num">activations</th>
              <th className="num">KV cache</th>
              <th className="num" title="The largest single buffer of a step (attention scores or logits), checked against maxStorageBufferBindingSize">largest buffer</th>
              <th className="num">total</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ name, config, params, memory, seqLen, largest }) => {
              const tooBig = adapter !== null && largest > adapter.limits.maxStorageBufferBindingSize;
              return (
                <tr key={name}>
                  <td><b>{name}</b></td>
                  <td className="num">{config.imageSize}² / {config.patchSize}</td>
                  <td className="num">{numImageTokens(config)}</td>
                  <td className="num">{config.visionDepth} × {config.visionWidth}</td>
                  <td className="num">{config.decoderDepth} × {config.decoderWidth}</td>
                  <td className="num" title={params.toLocaleString()}>{formatCount(params)}</td>
                  <td className="num">{formatBytes(memory.weights)}</td>
                  <td className="num">{formatBytes(memory.adamState)}</td>
                  <td className="num" title={`${batch * groupSize} sequences of ${seqLen} text tokens`}>{formatBytes(memory.activations)}</td>
                  <td className="num">{formatBytes(memory.kvCache)}</td>
                  <td className="num">
                    {formatBytes(largest)}
                    {tooBig && <span className="badge warn" title="Larger than this adapter's maxStorageBufferBindingSize: lower the batch or G">over the binding limit</span>}
                  </td>
                  <td className="num">{formatBytes(memory.total)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}

/** Bytes of the biggest tensor one step binds: decoder attention probabilities or the logits. */
function largestBuffer(config: ModelConfig, sequences: number, seqLen: number): number {
  const T = numImageTokens(config) + seqLen;
  return 4 * Math.max(sequences * config.decoderHeads * T * T, sequences * seqLen * config.vocabSize);
}

function clampInt(raw: string, lo: number, hi: number): number {
  const n = Math.round(Number(raw));
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : lo;
}
