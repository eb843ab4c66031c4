// "Export recipe": a run's recipe for EasyR1, verl or TRL (data with the curriculum order and GDQA groups
// applied, config, reward files, launch README, manifest) downloaded as one zip, then the mapping shown field by
// field with every option the target cannot express named and explained. The Runs list opens it per run;
// RecipeExportButton lets another panel (Train) place the same thing next to a run.
import { useEffect, useState } from 'react';
import { DEFAULT_LAUNCH } from '../../../recipe/export.ts';
import { TARGETS, type MappedSetting, type TargetId, type UnmappedOption } from '../../../recipe/mapping.ts';
import type { ImageMode } from '../../../recipe/data-files.ts';
import type { RunRecord } from '../../../runs/record.ts';
import { useDatasetsStore } from '../../../store/datasets.ts';
import { targetLabel, useRecipeStore, type RecipeExportDone } from '../../../store/recipe.ts';
import { useRunsStore } from '../../../store/runs.ts';
import { formatBytes } from '../../widgets/format.ts';
import { Progress } from '../../widgets/Progress.tsx';
import { shortFingerprint } from './format-run.ts';

const TARGET_NOTES: Record<TargetId, string> = {
  easyr1: 'Ray; config.yaml, format_prompt.jinja, reward_function.py',
  verl: 'Ray; Hydra overrides in run_verl.sh, reward_function.py',
  trl: 'torchrun/accelerate; GRPOConfig JSON, train_grpo.py',
};

/** A run's recipe export: choices, progress, and the last export's mapping. */
export function RecipeExportPane({ run, onClose }: { run: RunRecord; onClose?: () => void }) {
  const initDatasets = useDatasetsStore((s) => s.init);
  const datasets = useDatasetsStore((s) => s.datasets);
  const datasetsStatus = useDatasetsStore((s) => s.status);
  const datasetJob = useDatasetsStore((s) => s.job);
  const job = useRecipeStore((s) => s.job);
  const exportError = useRecipeStore((s) => s.exportError);
  const done = useRecipeStore((s) => s.exports[run.id]);
  const exportRun = useRecipeStore((s) => s.exportRun);
  const cancel = useRecipeStore((s) => s.cancelExport);

  const [target, setTarget] = useState<TargetId>('verl');
  const [images, setImages] = useState<ImageMode>('embed');
  const [picked, setPicked] = useState<string | null>(null);
  const [model, setModel] = useState(DEFAULT_LAUNCH.model);
  const [nnodes, setNnodes] = useState(DEFAULT_LAUNCH.nnodes);
  const [gpus, setGpus] = useState(DEFAULT_LAUNCH.gpusPerNode);
  useEffect(() => {
    void initDatasets();
  }, [initDatasets]);

  // The dataset the run was made on when it is stored here, else the newest one.
  const datasetId = picked ?? datasets.find((d) => d.fingerprint !== '' && d.fingerprint === run.dataset.fingerprint)?.id ?? datasets[0]?.id ?? '';
  const dataset = datasets.find((d) => d.id === datasetId);
  const hasRecipe = Object.keys(run.config.grpo).length > 0;
  const busy = job !== null;
  const mine = job?.runId === run.id;

  return (
    <div className="recipe-pane" data-testid="recipe-export" aria-label={`export recipe of ${run.name}`}>
      <div className="recipe-head">
        <h3>Export recipe for a cluster trainer</h3>
        <span className="runs-spacer" />
        {onClose && (
          <button className="link" onClick={onClose}>
            Close
          </button>
        )}
      </div>
      {!hasRecipe ? (
        <p className="recipe-alert warn" data-testid="recipe-no-config">
          This run carries no GRPO config{run.kind === 'imported' ? ' (it was imported from a log without the manifest.json of its export)' : ''}, so there is no
          recipe to export. Export a run trained in the lab, or import a log together with its manifest.json.
        </p>
      ) : (
        <>
          <p className="muted recipe-lede">
            The run&apos;s curriculum order and augmented question groups are frozen into Parquet and JSONL rows; its hyper-parameters are mapped field by field
            to the target&apos;s config; options the target cannot express are listed below, never dropped. One zip, made in this tab: nothing is uploaded.
          </p>
          <div className="recipe-form">
            <fieldset className="recipe-targets" disabled={busy}>
              <legend>Target</legend>
              {TARGETS.map((t) => (
                <label key={t} className={`recipe-target${target === t ? ' on' : ''}`}>
                  <input type="radio" name={`recipe-target-${run.id}`} value={t} checked={target === t} onChange={() => setTarget(t)} />
                  <b>{targetLabel(t)}</b>
                  <span className="muted">{TARGET_NOTES[t]}</span>
                </label>
              ))}
            </fieldset>
            <div className="recipe-fields">
              <label>
                <span>Dataset (train split)</span>
                <select value={datasetId} onChange={(e) => setPicked(e.target.value)} disabled={busy || datasets.length === 0} aria-label="dataset to export">
                  {datasets.length === 0 && <option value="">{datasetsStatus === 'ready' ? 'no dataset stored' : 'reading…'}</option>}
                  {datasets.map((d) => (
                    <option key={d.id} value={d.id}>
                      {d.name} ({(d.bySplit.train ?? 0).toLocaleString('en-US')} train records)
                    </option>
                  ))}
                </select>
              </label>
              <label>
                <span>Images</span>
                <select value={images} onChange={(e) => setImages(e.target.value as ImageMode)} disabled={busy} aria-label="images">
                  <option value="embed">inside the Parquet file</option>
                  <option value="path">as files beside it (images/)</option>
                </select>
              </label>
              <label className="recipe-model">
                <span>Policy to train</span>
                <input type="text" value={model} onChange={(e) => setModel(e.target.value)} disabled={busy} aria-label="model id" spellCheck={false} />
              </label>
              <label>
                <span>Nodes</span>
                <input type="number" min={1} max={4096} value={nnodes} onChange={(e) => setNnodes(clampInt(e.target.value, 1, 4096))} disabled={busy} aria-label="nodes" />
              </label>
              <label>
                <span>GPUs per node</span>
                <input type="number" min={1} max={64} value={gpus} onChange={(e) => setGpus(clampInt(e.target.value, 1, 64))} disabled={busy} aria-label="GPUs per node" />
              </label>
            </div>
          </div>
          {dataset && run.dataset.fingerprint !== dataset.fingerprint && (
            <p className="recipe-alert info" data-testid="recipe-dataset-differs">
              This run was made on {run.dataset.name || 'another dataset'}
              {run.dataset.fingerprint ? ` (${shortFingerprint(run.dataset.fingerprint)})` : ''}, which is not stored here; the recipe will use {dataset.name} (
              {shortFingerprint(dataset.fingerprint)}) and its manifest will say so.
            </p>
          )}
          {datasets.length === 0 && datasetsStatus === 'ready' && !datasetJob && (
            <p className="recipe-alert warn">No dataset is stored in this browser. Add one (or AnatomySynth) in the Data panel first.</p>
          )}
          <div className="row recipe-actions">
            <button
              className="primary"
              disabled={busy || !dataset}
              onClick={() => void exportRun(run, { target, images, datasetId, launch: { model: model.trim() || DEFAULT_LAUNCH.model, nnodes, gpusPerNode: gpus } })}
            >
              Export {targetLabel(target)} recipe (.zip)
            </button>
            {busy && !mine && <span className="muted">Another export is running ({job.label}).</span>}
            {datasetJob && <span className="muted">{datasetJob.label}: preparing the dataset…</span>}
          </div>
          {mine && job && (
            <Progress label={`${job.label}: ${job.progress.phase}`} done={job.progress.done} total={job.progress.total} unit={job.progress.unit} startedAt={job.startedAt} now={job.updatedAt} onCancel={cancel} />
          )}
          {exportError?.runId === run.id && (
            <p className="recipe-alert error" role="alert">
              {exportError.message}
            </p>
          )}
          {done && <ExportSummary done={done} />}
        </>
      )}
    </div>
  );
}

/** The Train panel's entry point: a button that opens the export of a run saved in this browser. */
export function RecipeExportButton({ runId }: { runId: string }) {
  const run = useRunsStore((s) => s.runs.find((r) => r.id === runId));
  const status = useRunsStore((s) => s.status);
  const load = useRunsStore((s) => s.load);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (status === 'idle') void load();
  }, [status, load]);
  return (
    <div className="recipe-button">
      <button
        onClick={() => setOpen(!open)}
        disabled={!run}
        aria-expanded={open}
        title={run ? 'Download this run as a recipe for EasyR1, verl or TRL' : 'Only runs saved in the Runs panel can be exported; this one is not saved yet.'}
      >
        Export recipe…
      </button>
      {open && run && <RecipeExportPane run={run} onClose={() => setOpen(false)} />}
    </div>
  );
}

function ExportSummary({ done }: { done: RecipeExportDone }) {
  const { result } = done;
  const m = result.manifest;
  const target = m.target;
  const notCarried = [...result.fields.flatMap((f) => (f.unmapped ? [f.unmapped] : [])), ...result.otherUnmapped];
  const active = notCarried.filter((u) => u.active);
  const inactive = notCarried.filter((u) => !u.active);
  return (
    <div className="recipe-done" data-testid="recipe-summary">
      <p className="recipe-ok">
        Downloaded <code>{done.fileName}</code> ({formatBytes(done.zipBytes)}, {m.files.length + 1} files): {m.rows.toLocaleString('en-US')} rows = {m.steps} steps ×{' '}
        {m.rowsPerStep} rows, {m.rolloutsPerRow} rollouts per row{m.variantsPerQuestion > 1 ? `, ${m.variantsPerQuestion} variants per question` : ''}; images{' '}
        {m.imageMode === 'embed' ? 'inside the Parquet file' : 'under images/'}. Data: {result.dataset.name}{' '}
        <code title={result.dataset.fingerprint}>{shortFingerprint(result.dataset.fingerprint)}</code>
        {result.dataset.matchesRun ? ', the dataset this run was made on.' : ', not the dataset this run was made on.'}
      </p>
      {result.dataset.imageSize > 0 && result.dataset.format !== 'synth' && (
        <p className="muted recipe-note">
          Images are the copies stored in this browser ({result.dataset.imageSize}×{result.dataset.imageSize} px). For full-resolution files, run{' '}
          <code>npm run lab -- export --dataset &lt;folder&gt;</code> on the original data.
        </p>
      )}

      <h4>Not carried over to {targetLabel(target)}</h4>
      {active.length === 0 ? (
        <p className="muted" data-testid="recipe-unmapped-none">
          Every option of this run that has an effect is expressed in the {targetLabel(target)} config or data.
        </p>
      ) : (
        <ul className="recipe-unmapped" data-testid="recipe-unmapped">
          {active.map((u, i) => (
            <UnmappedItem key={i} u={u} />
          ))}
        </ul>
      )}
      {inactive.length > 0 && (
        <p className="muted recipe-note" data-testid="recipe-unmapped-inactive">
          Also without an equivalent, but with no effect at this run&apos;s values: {inactive.map((u) => u.field).join(', ')}.
        </p>
      )}
      {m.notes.length > 0 && (
        <>
          <h4>How the data was built</h4>
          <ul className="recipe-notes">
            {m.notes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        </>
      )}

      <h4>Mapping, field by field</h4>
      <div className="runs-scroll">
        <table className="data recipe-table" data-testid="recipe-mapping">
          <thead>
            <tr>
              <th>lab field</th>
              <th>this run</th>
              <th>{targetLabel(target)} key</th>
              <th>value</th>
            </tr>
          </thead>
          <tbody>
            {result.fields.map((f) => (
              <FieldRows key={f.field} field={f.field} labValue={f.labValue} settings={f.settings} unmapped={f.unmapped} />
            ))}
          </tbody>
        </table>
      </div>
      <details className="recipe-details">
        <summary>Settings every {targetLabel(target)} export carries ({result.fixed.length})</summary>
        <table className="data recipe-table">
          <tbody>
            {result.fixed.map((s) => (
              <tr key={s.key}>
                <td>
                  <code>{s.key}</code>
                </td>
                <td className="recipe-value">{settingValue(s)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <details className="recipe-details">
        <summary>Files in the zip ({m.files.length + 1})</summary>
        <ul className="recipe-files">
          {m.files.map((f) => (
            <li key={f.path}>
              <code>{f.path}</code> <span className="muted">{formatBytes(f.bytes)}</span>
            </li>
          ))}
          <li>
            <code>manifest.json</code> <span className="muted">ties results back to this run and dataset: drop it with the metrics log under Import results</span>
          </li>
        </ul>
        <p className="muted recipe-note">
          Launch: {result.launch.model} on {result.launch.nnodes} × {result.launch.gpusPerNode} GPUs; the exact command is in README.md.
        </p>
      </details>
    </div>
  );
}

function FieldRows({ field, labValue, settings, unmapped }: { field: string; labValue: string; settings: MappedSetting[]; unmapped: UnmappedOption | null }) {
  const head = (
    <>
      <td className="recipe-field" rowSpan={Math.max(1, settings.length)}>
        <code>{field}</code>
      </td>
      <td className="recipe-value" rowSpan={Math.max(1, settings.length)}>
        {labValue}
      </td>
    </>
  );
  if (unmapped) {
    return (
      <tr className={unmapped.active ? 'recipe-row-unmapped' : 'recipe-row-inert'} data-field={field}>
        {head}
        <td colSpan={2}>
          <span className={`badge ${unmapped.active ? 'warn' : 'recipe-badge-inert'}`}>{unmapped.active ? 'not carried' : 'no effect here'}</span> {unmapped.reason}
        </td>
      </tr>
    );
  }
  if (settings.length === 0) {
    return (
      <tr data-field={field}>
        {head}
        <td colSpan={2} className="muted">
          carried by the exported reward file
        </td>
      </tr>
    );
  }
  return (
    <>
      {settings.map((s, i) => (
        <tr key={s.key} data-field={i === 0 ? field : undefined} className={i > 0 ? 'recipe-row-cont' : undefined}>
          {i === 0 && head}
          <td>
            <code>{s.key}</code>
          </td>
          <td className="recipe-value">{settingValue(s)}</td>
        </tr>
      ))}
    </>
  );
}

function UnmappedItem({ u }: { u: UnmappedOption }) {
  return (
    <li>
      <code>{u.field}</code>: {u.reason}.
    </li>
  );
}

const settingValue = (s: MappedSetting): string => (typeof s.value === 'string' ? s.value : JSON.stringify(s.value));

function clampInt(raw: string, min: number, max: number): number {
  const n = Math.round(Number(raw));
  return Number.isFinite(n) ? Math.max(min, Math.min(max, n)) : min;
}
