// The Curriculum panel's state: the CurriculumConfig being edited (kept in localStorage through
// restoreCurriculumConfig), the planned run (steps, batch size), the scrubbed step, the worker's analysis of the
// chosen dataset (S(q), histogram, pacing curve, queue), manual controls, the pair explorer, and the similarity
// sources the worker holds (the policy it would embed with, a dropped ONNX text-embedding model).
import { create } from 'zustand';
import { defaultCurriculumConfig, restoreCurriculumConfig, type CurriculumConfig, type CurriculumMode } from '../curriculum/config.ts';
import type { PacingConfig } from '../curriculum/pacing.ts';
import type { EngineClient } from '../worker/client.ts';
import type { CurriculumAnalysis, CurriculumControlAction, CurriculumSources, PairExplanation } from '../worker/curriculum-protocol.ts';
import { useDatasetsStore } from './datasets.ts';
import { engine } from './engine.ts';

export const CURRICULUM_STORAGE_KEY = 'anatomy-r1-lab.curriculum';

/** The run the curriculum is planned for. */
export interface CurriculumPlan {
  /** Steps of the run; pacing progress = step / steps. Typical 200. */
  steps: number;
  /** Questions per step. Typical 8. */
  batchSize: number;
  /** Steps of the queue shown from the scrubbed step. Typical 3. */
  window: number;
}

export const DEFAULT_PLAN: CurriculumPlan = { steps: 200, batchSize: 8, window: 3 };

export interface PairState {
  a: string;
  b: string;
  result: PairExplanation | null;
  error: string | null;
}

export interface CurriculumState {
  config: CurriculumConfig;
  /** Why the edited config is not valid (restoreCurriculumConfig's words); nothing is analysed while set. */
  configError: string | null;
  plan: CurriculumPlan;
  /** The scrubbed step: the pacing curve's marker and the queue's first step. */
  step: number;
  /** Dataset chosen in this panel; null follows the Data panel's selection. */
  chosenDatasetId: string | null;
  analysis: CurriculumAnalysis | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  /** A control (exclude, pin, move) that failed, in words. */
  controlError: string | null;
  pair: PairState;
  /** The policy and ONNX model behind the 'policy' and 'onnx:<name>' sources; null until asked. */
  sources: CurriculumSources | null;
  /** A dropped ONNX model being read ('loading') or refused ('error', with onnxError in words). */
  onnxStatus: 'idle' | 'loading' | 'error';
  onnxError: string | null;

  /** Merges a patch into the config (validated; kept as a draft with configError when invalid) and re-analyses. */
  setConfig(patch: Partial<CurriculumConfig>): void;
  setPacing(patch: Partial<PacingConfig>): void;
  /** 'off' turns the curriculum off (plain seeded draws) and keeps the last mode. */
  setMode(mode: CurriculumMode | 'off'): void;
  setPlan(patch: Partial<CurriculumPlan>): void;
  setStep(step: number): void;
  resetConfig(): void;
  chooseDataset(id: string | null): void;
  /** The dataset analysed: the one chosen here, else the Data panel's, else the newest stored. */
  datasetId(): string | null;
  refresh(): Promise<void>;
  control(action: CurriculumControlAction): Promise<void>;
  explainPair(a: string, b: string): Promise<void>;
  /** Asks the worker which policy and ONNX model it holds. */
  refreshSources(): Promise<void>;
  /** Loads dropped files (one .onnx and its tokenizer.json) into the worker and chooses 'onnx:<name>'. */
  loadOnnx(files: readonly File[]): Promise<void>;
}

/** The .onnx model and the tokenizer JSON among dropped files, or why they are not there, in words. */
export function pickOnnxFiles(files: readonly { name: string }[]): { model: number; tokenizer: number } | string {
  const names = files.map((f) => f.name);
  const model = names.findIndex((n) => /\.onnx$/i.test(n));
  const jsons = names.map((n, i) => (/\.json$/i.test(n) ? i : -1)).filter((i) => i >= 0);
  const tokenizer = jsons.find((i) => /tokenizer\.json$/i.test(names[i])) ?? (jsons.length === 1 ? jsons[0] : -1);
  const got = names.length ? names.join(', ') : 'no file';
  if (model < 0 && tokenizer < 0) return `Drop two files: the model (.onnx) and its tokenizer.json. Got ${got}.`;
  if (model < 0) return `No .onnx model among the dropped files (${got}); drop it together with ${names[tokenizer]}.`;
  if (tokenizer < 0) return `No tokenizer.json among the dropped files (${got}); drop it together with ${names[model]}.`;
  return { model, tokenizer };
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

function clampInt(v: number, lo: number, hi: number, fallback: number): number {
  return Number.isFinite(v) ? Math.min(hi, Math.max(lo, Math.round(v))) : fallback;
}

function loadSaved(): { config: CurriculumConfig; plan: CurriculumPlan } {
  try {
    const raw = globalThis.localStorage?.getItem(CURRICULUM_STORAGE_KEY);
    if (raw) {
      const o = JSON.parse(raw) as { config?: unknown; plan?: Partial<CurriculumPlan> };
      const plan = o.plan ?? {};
      return {
        config: restoreCurriculumConfig(o.config, 'saved curriculum'),
        plan: {
          steps: clampInt(Number(plan.steps), 1, 1_000_000, DEFAULT_PLAN.steps),
          batchSize: clampInt(Number(plan.batchSize), 1, 4096, DEFAULT_PLAN.batchSize),
          window: clampInt(Number(plan.window), 1, 20, DEFAULT_PLAN.window),
        },
      };
    }
  } catch {
    // A saved config another version wrote, or blocked storage: start from the defaults.
  }
  return { config: defaultCurriculumConfig(), plan: { ...DEFAULT_PLAN } };
}

function save(config: CurriculumConfig, plan: CurriculumPlan): void {
  try {
    globalThis.localStorage?.setItem(CURRICULUM_STORAGE_KEY, JSON.stringify({ config, plan }));
  } catch {
    // Storage may be blocked: the config then lasts for this page only.
  }
}

export function createCurriculumStore(client: () => EngineClient = engine) {
  let seq = 0;
  let pairSeq = 0;
  const saved = loadSaved();

  return create<CurriculumState>()((set, get) => {
    const apply = (config: CurriculumConfig) => {
      let configError: string | null = null;
      try {
        restoreCurriculumConfig(config);
      } catch (err) {
        configError = messageOf(err);
      }
      set({ config, configError });
      if (!configError) {
        save(config, get().plan);
        void get().refresh();
      }
    };

    return {
      config: saved.config,
      configError: null,
      plan: saved.plan,
      step: 0,
      chosenDatasetId: null,
      analysis: null,
      status: 'idle',
      error: null,
      controlError: null,
      pair: { a: 'Liver', b: 'Gallbladder', result: null, error: null },
      sources: null,
      onnxStatus: 'idle',
      onnxError: null,

      setConfig: (patch) => apply({ ...get().config, ...patch }),
      setPacing: (patch) => apply({ ...get().config, pacing: { ...get().config.pacing, ...patch } }),
      setMode: (mode) => apply(mode === 'off' ? { ...get().config, enabled: false } : { ...get().config, enabled: true, mode }),
      setPlan: (patch) => {
        const plan = { ...get().plan, ...patch };
        plan.steps = clampInt(plan.steps, 1, 1_000_000, DEFAULT_PLAN.steps);
        plan.batchSize = clampInt(plan.batchSize, 1, 4096, DEFAULT_PLAN.batchSize);
        plan.window = clampInt(plan.window, 1, 20, DEFAULT_PLAN.window);
        set({ plan, step: Math.min(get().step, plan.steps - 1) });
        save(get().config, plan);
        void get().refresh();
      },
      setStep: (step) => {
        set({ step: clampInt(step, 0, get().plan.steps - 1, 0) });
        void get().refresh();
      },
      resetConfig: () => apply(defaultCurriculumConfig()),
      chooseDataset: (id) => {
        set({ chosenDatasetId: id, analysis: null });
        void get().refresh();
      },
      datasetId: () => {
        const { datasets, browser } = useDatasetsStore.getState();
        const chosen = get().chosenDatasetId;
        if (chosen && datasets.some((d) => d.id === chosen)) return chosen;
        if (browser.datasetId && datasets.some((d) => d.id === browser.datasetId)) return browser.datasetId;
        return datasets[0]?.id ?? null;
      },

      refresh: async () => {
        const datasetId = get().datasetId();
        const { config, configError, plan, step } = get();
        if (!datasetId || configError) return;
        const mine = ++seq;
        set({ status: 'loading' });
        try {
          const analysis = await client().request('curriculum/analyse', {
            datasetId,
            curriculum: config,
            steps: plan.steps,
            batchSize: plan.batchSize,
            fromStep: step,
            window: plan.window,
          });
          if (mine !== seq) return;
          set({ analysis, status: 'ready', error: null });
          // The Model panel may have loaded another policy since: keep the card's "uses ..." line true.
          if (config.similarity === 'policy') void get().refreshSources();
        } catch (err) {
          if (mine !== seq) return;
          set({ status: 'error', error: messageOf(err) });
        }
      },

      control: async (action) => {
        const datasetId = get().datasetId();
        if (!datasetId) return;
        try {
          await client().request('curriculum/control', { datasetId, action });
          set({ controlError: null });
        } catch (err) {
          set({ controlError: messageOf(err) });
        }
        await get().refresh();
      },

      refreshSources: async () => {
        try {
          set({ sources: await client().request('curriculum/sources', {}) });
        } catch (err) {
          set({ sources: { policy: null, policyError: messageOf(err), onnx: get().sources?.onnx ?? null } });
        }
      },

      loadOnnx: async (files) => {
        const picked = pickOnnxFiles(files);
        if (typeof picked === 'string') {
          set({ onnxStatus: 'error', onnxError: picked });
          return;
        }
        set({ onnxStatus: 'loading', onnxError: null });
        try {
          const bytes = async (f: File) => new Uint8Array(await f.arrayBuffer());
          const m = files[picked.model], t = files[picked.tokenizer];
          const info = await client().request('curriculum/load-onnx', { model: { name: m.name, bytes: await bytes(m) }, tokenizer: { name: t.name, bytes: await bytes(t) } });
          set((s) => ({ onnxStatus: 'idle', onnxError: null, sources: { policy: s.sources?.policy ?? null, policyError: s.sources?.policyError ?? null, onnx: info } }));
          get().setConfig({ similarity: info.id });
        } catch (err) {
          set({ onnxStatus: 'error', onnxError: messageOf(err) });
        }
      },

      explainPair: async (a, b) => {
        const mine = ++pairSeq;
        set((s) => ({ pair: { ...s.pair, a, b } }));
        if (!a.trim() || !b.trim()) {
          set((s) => ({ pair: { ...s.pair, result: null, error: null } }));
          return;
        }
        try {
          const result = await client().request('curriculum/explain-pair', { a, b });
          if (mine === pairSeq) set((s) => ({ pair: { ...s.pair, result, error: null } }));
        } catch (err) {
          if (mine === pairSeq) set((s) => ({ pair: { ...s.pair, result: null, error: messageOf(err) } }));
        }
      },
    };
  });
}

export const useCurriculumStore = createCurriculumStore();
