// The Train panel's state: the run configuration being edited (documented defaults, kept in localStorage), the
// run in flight driven through the engine worker (start / pause / resume / stop), its live curves (bounded by
// appendPoint), the latest inspector groups with their thumbnails, and what to offer after a reload: a run that
// was training when the page closed resumes from its checkpoint by itself; a paused one is offered.
import { create } from 'zustand';
import { defaultAugmentConfig, type AugmentConfig } from '../augment/config.ts';
import { defaultCurriculumConfig, type CurriculumConfig } from '../curriculum/config.ts';
import type { DatasetMeta } from '../data/index.ts';
import { defaultGrpoConfig, restoreGrpoConfig, type GrpoConfig } from '../rl/config.ts';
import { appendPoint } from '../runs/downsample.ts';
import type { MetricHistory, MetricPoint, RunRecord } from '../runs/record.ts';
import type { EngineClient } from '../worker/client.ts';
import {
  TRAIN_RUN_CONFIG_VERSION,
  type CheckpointSummary,
  type EtaInputs,
  type EvalOutcome,
  type InspectorGroup,
  type TrainEvalConfig,
  type TrainOutcome,
  type TrainPhase,
  type TrainProgress,
  type TrainRunConfig,
} from '../worker/train-protocol.ts';
import { useAugmentStore } from './augment.ts';
import { useCurriculumStore } from './curriculum.ts';
import { useDatasetsStore } from './datasets.ts';
import { useDeviceStore } from './device.ts';
import { engine } from './engine.ts';
import { useRunsStore } from './runs.ts';
import { describeTrainError, isDeviceLoss, pointFromRow, trainRunRecord } from './training-record.ts';

export const TRAIN_FORM_STORAGE_KEY = 'anatomy-r1-lab.train.form';
/** Written when a run starts or resumes, removed when it ends: still there after a reload = it was training. */
export const TRAIN_ACTIVE_STORAGE_KEY = 'anatomy-r1-lab.train.active';

/** What the panel edits; turned into a TrainRunConfig at start. */
export interface TrainForm {
  /** Name of the run ('' = made from preset, init and seed). */
  name: string;
  /** Stored dataset; null = the one open in the Data panel, else the newest. */
  datasetId: string | null;
  /** Split trained on. Default 'train'. */
  trainSplit: string;
  /** Model size. Default tiny; micro for quick runs. Both ship a pretrained default. */
  preset: 'micro' | 'tiny';
  /** Starting weights. Default pretrained (the preset's committed SFT policy); scratch = random weights from the seed. */
  init: 'pretrained' | 'scratch';
  /** GRPO settings, the seed included. Defaults: defaultGrpoConfig(). */
  grpo: GrpoConfig;
  /** ASCL with the Curriculum panel's settings. Default off (plain GRPO, the paper's baseline). */
  curriculumOn: boolean;
  /** GDQA with the Augmentation panel's settings. Default off. */
  augmentOn: boolean;
  /** Accuracy before and after. */
  eval: TrainEvalConfig;
  /** Groups of each step shown in the inspector. Default 4. */
  inspectorGroups: number;
  /** Engine. Default auto (WebGPU when there is a device). */
  backend: TrainRunConfig['backend'];
}

export function defaultTrainEval(): TrainEvalConfig {
  return { enabled: true, split: 'test', maxQuestions: 64, greedy: true };
}

export function defaultTrainForm(): TrainForm {
  return {
    name: '',
    datasetId: null,
    trainSplit: 'train',
    preset: 'micro',
    init: 'pretrained',
    grpo: defaultGrpoConfig(),
    curriculumOn: false,
    augmentOn: false,
    eval: defaultTrainEval(),
    inspectorGroups: 4,
    backend: 'auto',
  };
}

/** idle: nothing run in this tab yet; the rest follow the worker's TrainState, with two in-between states. */
export type TrainStatusName = 'idle' | 'running' | 'pausing' | 'stopping' | 'paused' | 'finished' | 'stopped' | 'failed';

/** Progress of the current phase, as the progress bar shows it. */
export interface StepProgress {
  /** Steps done (GRPO or SFT, per `phase`). */
  done: number;
  total: number;
  eta: EtaInputs | null;
  /** Date.now() when the last step arrived. */
  receivedAt: number;
}

export interface TrainState {
  form: TrainForm;
  /** Why the form cannot start a run, in words; null when it can. */
  formError: string | null;

  status: TrainStatusName;
  runId: string | null;
  /** The config of the run shown (as started, or as stored in its checkpoint). */
  runConfig: TrainRunConfig | null;
  phase: TrainPhase | null;
  phaseMessage: string;
  grpo: StepProgress;
  sft: StepProgress;
  /** Chart rows of GRPO steps (x = steps done), thinned when long. */
  history: MetricHistory;
  /** SFT warm-start loss rows. */
  sftHistory: MetricHistory;
  /** The latest step's inspector groups and the step they came from (steps done). */
  inspector: InspectorGroup[];
  inspectorStep: number;
  /** Inspector groups of the last RECENT_INSPECTOR_STEPS steps that sent any, oldest first (steps done); the Augmentation panel steps back through them. */
  recentInspector: Array<{ step: number; groups: InspectorGroup[] }>;
  /** imageRef -> blob URL of the inspector's thumbnails; revoked when no group shows them any more. */
  thumbs: Record<string, string>;
  evalBefore: EvalOutcome | null;
  evalAfter: EvalOutcome | null;
  /** Steps done at the last checkpoint (0 when none). */
  checkpointStep: number;
  outcome: TrainOutcome | null;
  /** A failure in words (NaN stop, lost device, no dataset, engine error). */
  error: string | null;
  /** Something worth saying that is not an error (resumed after a reload, device recovered). */
  notice: string | null;
  /** Stored checkpoints, newest first. */
  checkpoints: CheckpointSummary[];
  /** The trainer could not be asked (no handler, storage); in words. */
  listError: string | null;
  /** Id of the RunRecord saved for the last run that ended, if any. */
  savedRunId: string | null;

  setForm(patch: Partial<TrainForm>): void;
  setGrpo(patch: Partial<GrpoConfig>): void;
  resetForm(): void;
  /** Reads the worker's status and checkpoints; resumes a run that was training when the page unloaded. */
  init(): Promise<void>;
  refreshCheckpoints(): Promise<void>;
  start(): Promise<void>;
  pause(): Promise<void>;
  /** Resume the given run (default: the one shown) from its last checkpoint. */
  resume(runId?: string): Promise<void>;
  stop(): Promise<void>;
  deleteCheckpoint(runId: string): Promise<void>;
  dismissError(): void;
  /**
   * Fills the form from a run record (the Runs panel's Reproduce): its GRPO config and seed, preset, starting
   * weights and the curriculum/augmentation switches. Nothing starts. Returns why it could not, or null.
   */
  loadRunConfig(run: RunRecord): string | null;
}

export interface TrainingDeps {
  client: () => EngineClient;
  /** Where the form and the active-run marker live (localStorage in the app). */
  storage: () => Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined;
  saveRun: (run: RunRecord) => Promise<void>;
  datasets: () => { list: DatasetMeta[]; browsed: string | null };
  curriculum: () => CurriculumConfig;
  augment: () => AugmentConfig;
  adapter: () => RunRecord['adapter'];
  now: () => number;
}

const defaultDeps: TrainingDeps = {
  client: engine,
  storage: () => globalThis.localStorage,
  saveRun: (run) => useRunsStore.getState().saveRun(run),
  datasets: () => {
    const s = useDatasetsStore.getState();
    return { list: s.datasets, browsed: s.browser.datasetId };
  },
  curriculum: () => useCurriculumStore.getState().config ?? defaultCurriculumConfig(),
  augment: () => useAugmentStore.getState().config ?? defaultAugmentConfig(),
  adapter: () => {
    const a = useDeviceStore.getState().state.adapter;
    return a ? { vendor: a.vendor, architecture: a.architecture, isFallbackAdapter: a.isFallbackAdapter } : null;
  },
  now: () => Date.now(),
};

/** Device losses a run survives on this side before it is left failed (each resumes from its checkpoint). */
export const MAX_CLIENT_RECOVERIES = 3;
/** Wait before resuming after a loss, so the worker has seen it and acquires a new device. */
const RECOVERY_DELAY_MS = 500;

const EMPTY_HISTORY: MetricHistory = { points: [], loggedPoints: 0, method: 'none' };

/** Everything a run shows, as it is before any run (and again when a new one starts). */
const NO_RUN_YET = {
  history: EMPTY_HISTORY,
  sftHistory: EMPTY_HISTORY,
  inspector: [],
  inspectorStep: 0,
  recentInspector: [],
  thumbs: {},
  evalBefore: null,
  evalAfter: null,
  checkpointStep: 0,
  outcome: null,
  error: null,
  notice: null,
  savedRunId: null,
} satisfies Partial<TrainState>;
/** Steps of inspector groups kept for stepping back; a few MB at most with G = 8 and 4 groups. */
export const RECENT_INSPECTOR_STEPS = 20;
const NO_PROGRESS: StepProgress = { done: 0, total: 0, eta: null, receivedAt: 0 };

const busy = (s: TrainStatusName) => s === 'running' || s === 'pausing' || s === 'stopping';

/** Runs the worker still has weights for that can go on. */
export const isResumable = (c: CheckpointSummary) => (c.state === 'paused' || c.state === 'running' || c.state === 'failed') && c.lastCheckpointStep >= 0;

/**
 * The history with `point` added. A point at or before the last one (a resumed run repeating the steps after
 * its checkpoint) replaces the tail from that step on, so the curve shows what the run really did.
 */
export function addPoint(history: MetricHistory, point: MetricPoint): MetricHistory {
  const last = history.points[history.points.length - 1];
  if (last && point.step <= last.step) {
    const kept = history.points.filter((p) => p.step < point.step);
    history = { ...history, points: kept, loggedPoints: history.loggedPoints - (history.points.length - kept.length) };
  }
  return appendPoint(history, point);
}

/** The name a run gets when the form leaves it empty: what it is, so runs tell apart in the Runs panel. */
export function autoRunName(form: TrainForm): string {
  return `GRPO ${form.preset} ${form.init} seed ${form.grpo.seed}${form.curriculumOn ? ' +ASCL' : ''}${form.augmentOn ? ' +GDQA' : ''}`;
}

/** Problems that keep the form from starting a run, in words; null when there are none. */
export function formProblem(form: TrainForm): string | null {
  try {
    restoreGrpoConfig(form.grpo, 'Train settings');
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  if (form.grpo.steps < 1 && form.grpo.sft.steps < 1) return 'Steps: a run needs at least one GRPO or SFT step.';
  if (!Number.isInteger(form.inspectorGroups) || form.inspectorGroups < 0 || form.inspectorGroups > 32) {
    return 'Inspector groups: a whole number from 0 to 32.';
  }
  if (!Number.isInteger(form.eval.maxQuestions) || form.eval.maxQuestions < 1) return 'Evaluation questions: a whole number of at least 1.';
  return null;
}

function loadForm(storage: TrainingDeps['storage']): TrainForm {
  const d = defaultTrainForm();
  try {
    const raw = storage()?.getItem(TRAIN_FORM_STORAGE_KEY);
    if (!raw) return d;
    const o = JSON.parse(raw) as Partial<Record<keyof TrainForm, unknown>>;
    const ev = (o.eval ?? {}) as Partial<TrainEvalConfig>;
    return {
      name: typeof o.name === 'string' ? o.name.slice(0, 200) : d.name,
      datasetId: typeof o.datasetId === 'string' ? o.datasetId : null,
      trainSplit: typeof o.trainSplit === 'string' && o.trainSplit ? o.trainSplit.slice(0, 40) : d.trainSplit,
      preset: o.preset === 'micro' || o.preset === 'tiny' ? o.preset : d.preset,
      init: o.init === 'scratch' || o.init === 'pretrained' ? o.init : d.init,
      grpo: restoreGrpoConfig(o.grpo, 'saved Train settings'),
      curriculumOn: typeof o.curriculumOn === 'boolean' ? o.curriculumOn : d.curriculumOn,
      augmentOn: typeof o.augmentOn === 'boolean' ? o.augmentOn : d.augmentOn,
      eval: {
        enabled: typeof ev.enabled === 'boolean' ? ev.enabled : d.eval.enabled,
        split: typeof ev.split === 'string' && ev.split ? ev.split.slice(0, 40) : d.eval.split,
        maxQuestions: Number.isInteger(ev.maxQuestions) && (ev.maxQuestions as number) >= 1 ? Math.min(10_000, ev.maxQuestions as number) : d.eval.maxQuestions,
        greedy: typeof ev.greedy === 'boolean' ? ev.greedy : d.eval.greedy,
      },
      inspectorGroups: Number.isInteger(o.inspectorGroups) && (o.inspectorGroups as number) >= 0 ? Math.min(32, o.inspectorGroups as number) : d.inspectorGroups,
      backend: o.backend === 'webgpu' || o.backend === 'cpu' || o.backend === 'auto' ? o.backend : d.backend,
    };
  } catch {
    // Settings another version wrote, or blocked storage: the defaults.
    return d;
  }
}

interface ActiveMarker {
  runId: string;
  createdAt: string;
}

function readMarker(storage: TrainingDeps['storage']): ActiveMarker | null {
  try {
    const raw = storage()?.getItem(TRAIN_ACTIVE_STORAGE_KEY);
    if (!raw) return null;
    const o = JSON.parse(raw) as Partial<ActiveMarker>;
    return typeof o.runId === 'string' && o.runId ? { runId: o.runId, createdAt: typeof o.createdAt === 'string' ? o.createdAt : new Date(0).toISOString() } : null;
  } catch {
    return null;
  }
}

const newRunId = (now: number) => `run-${new Date(now).toISOString().replace(/[:.]/g, '-')}-${Math.random().toString(36).slice(2, 6)}`;

export function createTrainingStore(overrides: Partial<TrainingDeps> = {}) {
  const deps: TrainingDeps = { ...defaultDeps, ...overrides };
  const client = () => deps.client();
  let initStarted = false;
  // Progress of an older start/resume request is dropped once a newer one began.
  let session = 0;
  let thumbsInFlight = false;
  let createdAt = new Date(deps.now()).toISOString();
  // Wall time of finished sessions of this run in this tab, and the current session's last reading.
  let wallDoneMs = 0;
  let wallSessionMs = 0;
  // Device losses this store recovered from for the run shown (reset by start).
  let recoveries = 0;

  const writeMarker = (marker: ActiveMarker | null) => {
    try {
      if (marker) deps.storage()?.setItem(TRAIN_ACTIVE_STORAGE_KEY, JSON.stringify(marker));
      else deps.storage()?.removeItem(TRAIN_ACTIVE_STORAGE_KEY);
    } catch {
      // Blocked storage: a reload then offers Resume instead of resuming by itself.
    }
  };

  return create<TrainState>()((set, get) => {
    const saveForm = (form: TrainForm) => {
      set({ form, formError: formProblem(form) });
      try {
        deps.storage()?.setItem(TRAIN_FORM_STORAGE_KEY, JSON.stringify(form));
      } catch {
        // Storage blocked: the settings last for this page only.
      }
    };

    const datasetFor = (id: string): DatasetMeta | null => deps.datasets().list.find((d) => d.id === id) ?? null;

    const loadThumbs = async () => {
      const { runConfig, inspector, thumbs } = get();
      if (thumbsInFlight || !runConfig) return;
      const wanted = new Set(inspector.map((g) => g.imageRef).filter((r): r is string => !!r));
      const missing = [...wanted].filter((r) => !(r in thumbs));
      if (missing.length === 0) return;
      thumbsInFlight = true;
      try {
        const shots = await client().request('data/thumbnails', { datasetId: runConfig.datasetId, refs: missing });
        const added: Record<string, string> = {};
        for (const t of shots) if (t.png) added[t.ref] = URL.createObjectURL(new Blob([t.png as Uint8Array<ArrayBuffer>], { type: 'image/png' }));
        // Keep only what the groups shown now use; the rest is revoked.
        const still = new Set(get().inspector.map((g) => g.imageRef));
        const next: Record<string, string> = {};
        for (const [ref, url] of Object.entries({ ...get().thumbs, ...added })) {
          if (still.has(ref)) next[ref] = url;
          else URL.revokeObjectURL(url);
        }
        set({ thumbs: next });
      } catch {
        // A missing thumbnail is shown as "no image"; training goes on.
      } finally {
        thumbsInFlight = false;
      }
      // Steps may have brought new groups while this request was out.
      if (get().inspector.some((g) => g.imageRef && !(g.imageRef in get().thumbs))) void loadThumbsSoon();
    };
    let thumbTimer: ReturnType<typeof setTimeout> | null = null;
    const loadThumbsSoon = () => {
      if (thumbTimer) return;
      thumbTimer = setTimeout(() => {
        thumbTimer = null;
        void loadThumbs();
      }, 50);
    };

    const onProgress = (mine: number, p: TrainProgress) => {
      if (mine !== session) return;
      const now = deps.now();
      switch (p.kind) {
        case 'phase':
          set({ phase: p.phase, phaseMessage: p.message });
          break;
        case 'sft-step':
          wallSessionMs = p.eta.elapsedMs;
          set((s) => ({
            phase: 'sft',
            sft: { done: p.step + 1, total: p.total, eta: p.eta, receivedAt: now },
            sftHistory: addPoint(s.sftHistory, pointFromRow(p.step, { loss: p.metrics.loss, grad_norm: p.metrics.grad_norm, learning_rate: p.metrics.learning_rate })),
          }));
          break;
        case 'step': {
          wallSessionMs = p.eta.elapsedMs;
          const inspector = p.inspector.length > 0 ? { inspector: p.inspector, inspectorStep: p.step + 1 } : {};
          set((s) => ({
            phase: 'grpo',
            grpo: { done: p.step + 1, total: p.total, eta: p.eta, receivedAt: now },
            history: addPoint(s.history, pointFromRow(p.step, p.row)),
            ...inspector,
            ...(p.inspector.length > 0
              ? { recentInspector: [...s.recentInspector.filter((r) => r.step < p.step + 1), { step: p.step + 1, groups: p.inspector }].slice(-RECENT_INSPECTOR_STEPS) }
              : {}),
            ...(p.checkpointed ? { checkpointStep: p.step + 1 } : {}),
          }));
          if (p.inspector.length > 0) loadThumbsSoon();
          break;
        }
        case 'eval': {
          const result: EvalOutcome = { accuracy: p.accuracy, questions: p.questions, extracted: p.extracted, correct: p.correct, questionOnly: p.questionOnly };
          set(p.when === 'before' ? { evalBefore: result } : { evalAfter: result });
          break;
        }
        case 'checkpoint':
          if (p.phase === 'grpo') set({ checkpointStep: p.step });
          break;
        case 'recovered':
          set({ notice: p.message || `The GPU device was lost; the run goes on from its checkpoint at step ${p.fromStep}.`, checkpointStep: p.fromStep });
          break;
      }
    };

    const saveRecord = async (outcome: TrainOutcome) => {
      const { runConfig, history } = get();
      if (!runConfig || history.points.length === 0) return;
      const run = trainRunRecord({
        runId: outcome.runId,
        config: runConfig,
        outcome,
        history,
        dataset: datasetFor(runConfig.datasetId),
        adapter: deps.adapter(),
        createdAt,
        wallMs: wallDoneMs,
      });
      await deps.saveRun(run);
      set({ savedRunId: run.id });
    };

    const ended = async (outcome: TrainOutcome) => {
      wallDoneMs += wallSessionMs;
      wallSessionMs = 0;
      writeMarker(null);
      set((s) => ({
        status: outcome.state,
        outcome,
        phase: null,
        grpo: { ...s.grpo, done: Math.max(s.grpo.done, outcome.step), total: outcome.total || s.grpo.total },
        checkpointStep: Math.max(0, outcome.lastCheckpointStep),
        evalBefore: outcome.evalBefore ? { ...outcome.evalBefore, extracted: s.evalBefore?.extracted ?? outcome.evalBefore.questions } : s.evalBefore,
        evalAfter: outcome.evalAfter ? { ...outcome.evalAfter, extracted: s.evalAfter?.extracted ?? outcome.evalAfter.questions } : s.evalAfter,
        error: outcome.state === 'failed' ? outcome.message || 'The run failed without a message.' : null,
      }));
      if (outcome.state !== 'paused') await saveRecord(outcome);
      await get().refreshCheckpoints();
    };

    /** Sends a long start/resume request and follows it to its outcome. */
    const follow = async (run: (mine: number) => Promise<TrainOutcome>, runId: string) => {
      const mine = ++session;
      writeMarker({ runId, createdAt });
      try {
        const outcome = await run(mine);
        if (mine === session) await ended(outcome);
      } catch (err) {
        if (mine !== session) return;
        writeMarker(null);
        wallDoneMs += wallSessionMs;
        wallSessionMs = 0;
        await get().refreshCheckpoints();
        // The worker recovers from a lost device itself; when the loss still reaches this side (a readback
        // failing before the loss is seen), the run goes on from its checkpoint here, a bounded number of times.
        const ckpt = get().checkpoints.find((c) => c.runId === runId);
        if (isDeviceLoss(err) && recoveries < MAX_CLIENT_RECOVERIES && ckpt && isResumable(ckpt)) {
          recoveries++;
          const why = (err instanceof Error ? err.message : String(err)).replace(/\.\s*$/, '');
          set({ status: 'paused', phase: null, notice: `The GPU device was lost (${why}); the run goes on from its checkpoint at step ${ckpt.lastCheckpointStep} on a new device.` });
          await new Promise((r) => setTimeout(r, RECOVERY_DELAY_MS));
          if (get().status === 'paused' && get().runId === runId) await get().resume(runId);
          return;
        }
        set({ status: 'failed', phase: null, error: describeTrainError(err) });
      }
    };

    const resetRunView = (runId: string, config: TrainRunConfig) => {
      for (const url of Object.values(get().thumbs)) URL.revokeObjectURL(url);
      set({
        status: 'running',
        runId,
        runConfig: config,
        phase: 'loading',
        phaseMessage: 'Loading the dataset and the policy…',
        grpo: { ...NO_PROGRESS, total: config.grpo.steps },
        sft: { ...NO_PROGRESS, total: config.grpo.sft.steps },
        ...NO_RUN_YET,
      });
    };

    const buildConfig = (form: TrainForm, datasetId: string): TrainRunConfig => {
      const grpo = restoreGrpoConfig(form.grpo, 'Train settings');
      const name = form.name.trim() || autoRunName(form);
      return {
        version: TRAIN_RUN_CONFIG_VERSION,
        name,
        datasetId,
        trainSplit: form.trainSplit,
        preset: form.preset,
        init: { kind: form.init },
        grpo,
        curriculum: { ...deps.curriculum(), enabled: form.curriculumOn },
        augment: { ...deps.augment(), enabled: form.augmentOn },
        eval: { ...form.eval },
        inspectorGroups: form.inspectorGroups,
        backend: form.backend,
      };
    };

    const initialForm = loadForm(deps.storage);

    return {
      form: initialForm,
      formError: formProblem(initialForm),
      status: 'idle',
      runId: null,
      runConfig: null,
      phase: null,
      phaseMessage: '',
      grpo: NO_PROGRESS,
      sft: NO_PROGRESS,
      ...NO_RUN_YET,
      checkpoints: [],
      listError: null,

      setForm: (patch) => saveForm({ ...get().form, ...patch }),
      setGrpo: (patch) => saveForm({ ...get().form, grpo: { ...get().form.grpo, ...patch } }),
      resetForm: () => saveForm(defaultTrainForm()),

      init: async () => {
        if (initStarted) return;
        initStarted = true;
        let checkpoints: CheckpointSummary[];
        let active: CheckpointSummary | null = null;
        try {
          const status = await client().request('train/status', {});
          checkpoints = await client().request('train/checkpoints', {});
          set({ checkpoints, listError: null });
          if (status.active) active = checkpoints.find((c) => c.runId === status.active?.runId) ?? null;
          if (status.active && get().runId !== status.active.runId) {
            // A run this store did not start (the automation hook, the CLI): shown, but its progress goes elsewhere.
            set({
              runId: status.active.runId,
              runConfig: active?.config ?? null,
              status: status.active.state === 'running' ? 'running' : status.active.state,
              grpo: { ...NO_PROGRESS, done: status.active.step, total: status.active.total },
              notice: `Run ${status.active.name} is training in the engine, started outside this panel; its charts fill when it is resumed here.`,
            });
            return;
          }
        } catch (err) {
          set({ listError: describeTrainError(err) });
          return;
        }
        const marker = readMarker(deps.storage);
        if (!marker || get().status !== 'idle') return;
        const ckpt = checkpoints.find((c) => c.runId === marker.runId);
        if (ckpt && isResumable(ckpt)) {
          createdAt = marker.createdAt;
          // Not awaited: the resume request lasts as long as the run.
          const resuming = get().resume(ckpt.runId);
          set({ notice: `The page was reloaded while this run was training: it goes on from its checkpoint at step ${ckpt.lastCheckpointStep}.` });
          void resuming;
        } else {
          writeMarker(null);
          set({ notice: 'The run that was training when the page closed had saved no checkpoint yet, so it cannot go on: start it again.' });
        }
      },

      refreshCheckpoints: async () => {
        try {
          set({ checkpoints: await client().request('train/checkpoints', {}), listError: null });
        } catch (err) {
          set({ listError: describeTrainError(err) });
        }
      },

      start: async () => {
        const { form, status } = get();
        if (status === 'running' || status === 'pausing' || status === 'stopping') return;
        const problem = formProblem(form);
        if (problem) {
          set({ formError: problem, error: problem });
          return;
        }
        const { list, browsed } = deps.datasets();
        const datasetId = (form.datasetId && list.some((d) => d.id === form.datasetId) ? form.datasetId : null) ?? browsed ?? list[0]?.id ?? null;
        if (!datasetId) {
          set({ error: 'No dataset is stored in this browser: add one in the Data panel, or generate AnatomySynth there, then start again.' });
          return;
        }
        const config = buildConfig(form, datasetId);
        const runId = newRunId(deps.now());
        createdAt = new Date(deps.now()).toISOString();
        wallDoneMs = 0;
        wallSessionMs = 0;
        recoveries = 0;
        resetRunView(runId, config);
        await follow((mine) => client().request('train/start', { config, runId }, { onProgress: (p) => onProgress(mine, p) }), runId);
      },

      pause: async () => {
        const { runId, status } = get();
        if (!runId || status !== 'running') return;
        set({ status: 'pausing', notice: null });
        try {
          await client().request('train/pause', { runId });
        } catch (err) {
          if (get().status === 'pausing') set({ status: 'running', error: `Pause failed: ${describeTrainError(err)}` });
        }
      },

      resume: async (runId) => {
        const id = runId ?? get().runId;
        const { status } = get();
        if (!id || status === 'running' || status === 'pausing' || status === 'stopping') return;
        const ckpt = get().checkpoints.find((c) => c.runId === id);
        const config = ckpt?.config ?? (get().runId === id ? get().runConfig : null);
        if (!config) {
          set({ error: `No stored checkpoint of run ${id} was found, so it cannot be resumed.` });
          return;
        }
        const sameRun = get().runId === id;
        if (!sameRun) {
          resetRunView(id, config);
          wallDoneMs = 0;
        } else {
          set({ status: 'running', phase: 'loading', phaseMessage: 'Loading the last checkpoint…', error: null, outcome: null });
        }
        const fromStep = ckpt ? Math.max(0, ckpt.lastCheckpointStep) : get().checkpointStep;
        set((s) => ({ checkpointStep: fromStep, grpo: { ...s.grpo, done: Math.max(fromStep, sameRun ? s.grpo.done : 0), total: config.grpo.steps, eta: null } }));
        if (!sameRun) {
          // The curves so far come from the worker, so a reloaded page shows the whole run, not only what follows.
          try {
            const past = await client().request('train/status', { runId: id, history: true });
            let history = EMPTY_HISTORY;
            for (const [i, row] of (past.history ?? []).entries()) history = addPoint(history, pointFromRow(Number.isFinite(row.step) ? row.step : i, row));
            let sftHistory = EMPTY_HISTORY;
            for (const m of past.sftHistory ?? []) sftHistory = addPoint(sftHistory, pointFromRow(m.step, { loss: m.loss, grad_norm: m.grad_norm, learning_rate: m.learning_rate }));
            set({ history, sftHistory });
          } catch {
            // Without the past rows the charts start at the checkpoint; training is not affected.
          }
        }
        await follow((mine) => client().request('train/resume', { runId: id }, { onProgress: (p) => onProgress(mine, p) }), id);
      },

      stop: async () => {
        const { runId, status } = get();
        if (!runId || (status !== 'running' && status !== 'pausing')) return;
        set({ status: 'stopping', notice: null });
        try {
          await client().request('train/stop', { runId });
        } catch (err) {
          if (get().status === 'stopping') set({ status: 'running', error: `Stop failed: ${describeTrainError(err)}` });
        }
      },

      deleteCheckpoint: async (runId) => {
        try {
          set({ checkpoints: await client().request('train/delete-checkpoint', { runId }), listError: null });
        } catch (err) {
          set({ error: `The checkpoint of ${runId} could not be deleted: ${describeTrainError(err)}` });
        }
      },

      dismissError: () => set({ error: null, notice: null }),

      loadRunConfig: (run) => {
        if (busy(get().status)) return 'A run is in flight: pause or stop it before loading another run’s settings.';
        let grpo: GrpoConfig;
        try {
          grpo = restoreGrpoConfig(run.config.grpo, `run ${run.id} config.grpo`);
        } catch (err) {
          return err instanceof Error ? err.message : String(err);
        }
        const model = run.config.model;
        const d = defaultTrainForm();
        const on = (o: Record<string, unknown>) => Object.keys(o).length > 0 && o.enabled !== false;
        saveForm({
          ...get().form,
          name: `${run.name} (reproduced)`.slice(0, 200),
          grpo: { ...grpo, seed: run.config.seed },
          preset: model.preset === 'micro' || model.preset === 'tiny' ? model.preset : d.preset,
          init: model.init === 'scratch' || model.init === 'pretrained' ? model.init : d.init,
          curriculumOn: on(run.config.curriculum),
          augmentOn: on(run.config.augment),
        });
        return null;
      },
    };
  });
}

export const useTrainingStore = createTrainingStore();
