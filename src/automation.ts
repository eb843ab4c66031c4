// `window.labAutomation`: the page's scripted face for the `lab` CLI and Playwright. It goes through the same
// engine client as the UI (no second implementation), and returns plain JSON.
import { DEFAULT_SYNTH_CONFIG } from './data/synth/anatomy-synth.ts';
import { engine } from './store/engine.ts';
import type { DataListing, DeviceState } from './worker/protocol.ts';
import type { EvalRunParams, EvalRunResult } from './worker/eval-protocol.ts';
import type { TrainOutcome, TrainProgress } from './worker/train-protocol.ts';

export interface LabAutomation {
  version: string;
  commit: string;
  deviceInfo(): Promise<DeviceState>;
  destroyDevice(): Promise<{ destroyed: boolean }>;
  /** The datasets stored in this browser (Data panel, issue #5). */
  listDatasets(): Promise<DataListing>;
  /** Evaluate a model on AnatomySynth or on given dataset files (Evaluate panel, issue #8). */
  evaluate(params: AutomationEvalParams): Promise<EvalRunResult>;
  /**
   * Train with GRPO (issue #6): `config` is a TrainRunConfig as JSON (restored in the worker) whose datasetId
   * 'demo' means AnatomySynth (generated when absent); `onProgress` gets every TrainProgress (a Playwright
   * exposed function for `lab train`). Resolves with the run's outcome.
   */
  train(config: Record<string, unknown>, onProgress?: (p: TrainProgress) => void, options?: { demoQuestions?: number }): Promise<TrainOutcome>;
}

/** `lab eval`'s request: bytes travel as base64 (page.evaluate carries JSON). */
export interface AutomationEvalParams extends Omit<EvalRunParams, 'datasetId' | 'source'> {
  /** AnatomySynth (generated when absent; `questions` sizes it, default the demo's 2,000), or dataset files read in Node, imported like a drop. */
  dataset: { kind: 'demo'; questions?: number } | { kind: 'files'; name: string; files: Array<{ path: string; base64: string }> };
  /** The pretrained default, or a policy checkpoint's bytes. */
  checkpoint: { kind: 'pretrained' } | { kind: 'file'; name: string; base64: string };
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** The stored dataset `lab eval` asked for: AnatomySynth, or the files imported now. */
async function evalDatasetId(dataset: AutomationEvalParams['dataset']): Promise<string> {
  if (dataset.kind === 'demo') {
    const questions = dataset.questions ?? DEFAULT_SYNTH_CONFIG.questions;
    const synth = (l: DataListing) => l.datasets.find((d) => d.format === 'synth' && d.recordCount === questions);
    let found = synth(await engine().request('data/list', {}));
    if (!found) found = synth((await engine().request('data/ensure-demo', { force: true, synth: { questions } })).listing);
    if (!found) throw new Error(`AnatomySynth with ${questions} questions could not be generated`);
    return found.id;
  }
  const files = dataset.files.map((f) => ({ path: f.path, file: new Blob([fromBase64(f.base64)]) }));
  const imported = await engine().request('data/import', { files, name: dataset.name });
  if (!imported.meta) {
    const why = imported.report.errors.slice(0, 3).map((e) => `${e.file}: ${e.message}`).join('; ');
    throw new Error(`${dataset.name}: no usable dataset${why ? ` (${why})` : ''}`);
  }
  return imported.meta.id;
}

declare global {
  interface Window {
    labAutomation?: LabAutomation;
  }
}

export function installAutomation(): void {
  window.labAutomation = {
    version: __APP_VERSION__,
    commit: __APP_COMMIT__,
    deviceInfo: () => engine().request('device/info', {}),
    destroyDevice: () => engine().request('device/destroy', {}),
    listDatasets: () => engine().request('data/list', {}),
    evaluate: async ({ dataset, checkpoint, ...rest }) => {
      const datasetId = await evalDatasetId(dataset);
      const source = checkpoint.kind === 'pretrained' ? ({ kind: 'pretrained' } as const) : ({ kind: 'file', name: checkpoint.name, bytes: fromBase64(checkpoint.base64) } as const);
      return engine().request('eval/run', { ...rest, datasetId, source });
    },
    train: async (config, onProgress, options) => {
      const demo = config.datasetId === 'demo' || config.datasetId === undefined;
      const datasetId = demo ? await evalDatasetId({ kind: 'demo', questions: options?.demoQuestions }) : String(config.datasetId);
      return engine().request('train/start', { config: { ...config, datasetId } as never }, { onProgress });
    },
  };
}
