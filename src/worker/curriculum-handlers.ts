// Curriculum and augmentation requests of the engine worker: S(q) over a stored dataset with its histogram,
// the pacing curve and the queue the scheduler would pose (manual controls applied and saved per dataset
// fingerprint), the pair explorer, and GDQA's variants of chosen questions with their transformed images.
// The similarity source is the lexicon, the worker's current policy or a dropped ONNX model (SimilarityModels,
// shared with the train handler). All the deciding is src/curriculum's and src/augment's; this file only
// loads, caches and shapes.
import { applyImageTransforms } from '../augment/image-transforms.ts';
import { restoreAugmentConfig } from '../augment/config.ts';
import { buildQuestionGroup } from '../augment/group-builder.ts';
import { restoreCurriculumConfig, type CurriculumConfig } from '../curriculum/config.ts';
import { CurriculumControlsStore, emptyControls } from '../curriculum/controls-store.ts';
import { questionSimilarity, SIMILARITY_FORMULA } from '../curriculum/difficulty.ts';
import { explainPair } from '../curriculum/pair-explain.ts';
import { buildAnswerPools } from '../curriculum/redraw.ts';
import { CurriculumScheduler, type CurriculumControls, type ScheduledQuestion } from '../curriculum/scheduler.ts';
import { hashSeed, SeededRandom } from '../curriculum/seeded-random.ts';
import type { PolicyWeights } from '../curriculum/policy-embeddings.ts';
import { datasetNames, LEXICON_SOURCE, SimilarityModels, type PolicyProvider } from '../curriculum/similarity-models.ts';
import type { SimilaritySource } from '../curriculum/similarity.ts';
import { DatasetStore, encodePng, type DatasetMeta, type VqaRecord } from '../data/index.ts';
import { readCheckpoint } from '../model/safetensors.ts';
import { PRETRAINED_PATH } from '../rl/trainer/init.ts';
import type { HandlerContext, HandlerTable, JobContext } from './handler-types.ts';
import type {
  ControlledQuestion,
  CurriculumAnalysis,
  PacingPoint,
  PreviewGroup,
  QueueQuestion,
} from './curriculum-protocol.ts';

type CurriculumRequest = 'curriculum/analyse' | 'curriculum/control' | 'curriculum/explain-pair' | 'curriculum/sources' | 'curriculum/load-onnx' | 'augment/preview';
type ModelRequest = 'model/current' | 'model/load' | 'model/export' | 'model/generate';

/** What the handlers run against; the defaults are the browser's, Node tests pass their own databases. */
export interface CurriculumHandlerOptions {
  /** Opens the dataset database; typical DatasetStore.open(). */
  openStore?: () => Promise<DatasetStore>;
  /** Opens the database of manual controls; typical CurriculumControlsStore.open(). */
  openControls?: () => Promise<CurriculumControlsStore>;
  /** The ONNX model and policy access shared with the train handler; default one of its own without a policy. */
  models?: SimilarityModels;
}

const MAX_WINDOW = 20;
const MAX_CURVE_POINTS = 1000;
const MAX_PREVIEW = 12;
const MAX_STEPS = 10_000_000;

/** A dropped tokenizer.json larger than this is refused before decoding (real ones are a few MB). */
const MAX_TOKENIZER_BYTES = 64 << 20;

async function fetchPretrainedDefault(): Promise<Uint8Array | null> {
  if (typeof location === 'undefined') return null;
  const base = (import.meta as { env?: { BASE_URL?: string } }).env?.BASE_URL ?? '/';
  const res = await fetch(new URL(PRETRAINED_PATH, new URL(base, location.origin)));
  // The dev server answers unknown paths with index.html: that is "absent", not a broken checkpoint.
  if (!res.ok || (res.headers.get('content-type') ?? '').includes('text/html')) return null;
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * Wraps the Model panel's handler table so the curriculum can read the policy it holds: every successful
 * 'model/load' bumps a generation; the weights are read (as the model's safetensors export) once per
 * generation. With nothing loaded, the pretrained default of this build is used (read once).
 */
export function watchModel<T extends HandlerTable<ModelRequest>>(table: T, loadPretrained: () => Promise<Uint8Array | null> = fetchPretrainedDefault): { handlers: T; policy: PolicyProvider } {
  let generation = 0;
  let cached: { key: string; policy: PolicyWeights } | null = null;
  let fallback: Promise<{ key: string; policy: PolicyWeights } | null> | null = null;
  const job: JobContext<never> = { signal: new AbortController().signal, progress: () => undefined };
  const handlers = {
    ...table,
    'model/load': async (params, j) => {
      const out = await table['model/load'](params, j);
      generation++;
      return out;
    },
  } as T;
  const policy: PolicyProvider = async () => {
    const current = await table['model/current']({}, job);
    if (current.model) {
      const key = `model#${generation}`;
      if (cached?.key !== key) {
        const { bytes } = await table['model/export']({ format: 'safetensors' }, job);
        const c = readCheckpoint(bytes, current.model.name);
        cached = { key, policy: { name: current.model.name, config: c.config, tokenizer: c.tokenizer, weights: c.weights } };
      }
      return cached;
    }
    fallback ??= loadPretrained().then((bytes) => {
      if (!bytes) return null;
      const c = readCheckpoint(bytes, PRETRAINED_PATH);
      return { key: 'default:pretrained', policy: { name: 'pretrained default', config: c.config, tokenizer: c.tokenizer, weights: c.weights } };
    });
    return fallback;
  };
  return { handlers, policy };
}

function positiveInt(value: unknown, name: string, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`${name}: expected an integer from 1 to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function stepIndex(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_STEPS) {
    throw new Error(`${name}: expected an integer step >= 0, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** The records the trainer draws from: the train split when there is one, else everything. */
function trainingRecords(records: VqaRecord[]): { split: 'train' | 'all'; records: VqaRecord[] } {
  const train = records.filter((r) => r.split === 'train');
  return train.length > 0 ? { split: 'train', records: train } : { split: 'all', records };
}

function toQueueQuestion(q: ScheduledQuestion, original: VqaRecord): QueueQuestion {
  const r = q.record;
  return {
    id: r.id,
    question: r.question,
    questionType: r.questionType,
    anatomy: r.anatomy,
    options: r.options.slice(),
    goldIndex: r.goldIndex,
    naturalOptions: original.options.slice(),
    naturalGoldIndex: original.goldIndex,
    naturalSimilarity: q.naturalSimilarity,
    similarity: q.similarity,
    target: q.target,
    origin: q.origin,
    redrawn: r.options.length !== original.options.length || r.options.some((o, i) => o !== original.options[i]),
  };
}

/** Steps of the pacing curve: every step of a short run, evenly spread points (first and last included) otherwise. */
export function curveSteps(steps: number, points: number): number[] {
  if (steps <= points) return Array.from({ length: steps }, (_, i) => i);
  return Array.from({ length: points }, (_, i) => Math.round((i * (steps - 1)) / (points - 1)));
}

export function curriculumHandlers(_ctx: HandlerContext, options: CurriculumHandlerOptions = {}): HandlerTable<CurriculumRequest> {
  const lazy = <T>(open: () => Promise<T>) => {
    let p: Promise<T> | null = null;
    return () => {
      if (!p) {
        const opening = open();
        opening.catch(() => {
          if (p === opening) p = null;
        });
        p = opening;
      }
      return p;
    };
  };
  const datasets = lazy(options.openStore ?? (() => DatasetStore.open()));
  const controlsDb = lazy(options.openControls ?? (() => CurriculumControlsStore.open()));
  const models = options.models ?? new SimilarityModels();
  const similaritySource = (id: string, records: readonly VqaRecord[]): Promise<SimilaritySource> => models.source(id, datasetNames(records));

  // The dataset last analysed and its scheduler: scrubbing the step or toggling a control reuses them.
  let loaded: { meta: DatasetMeta; records: VqaRecord[]; byId: Map<string, VqaRecord> } | null = null;
  let scheduler: { key: string; source: SimilaritySource; value: CurriculumScheduler } | null = null;

  const loadDataset = async (datasetId: string) => {
    const store = await datasets();
    if (loaded?.meta.id === datasetId) {
      // A re-import under the same id changes the fingerprint: reload then.
      const meta = (await store.list()).find((m) => m.id === datasetId);
      if (meta && meta.fingerprint === loaded.meta.fingerprint && meta.createdAt === loaded.meta.createdAt) return loaded;
    }
    const got = await store.get(datasetId);
    if (!got) throw new Error(`No stored dataset with id ${JSON.stringify(datasetId)} (it may have been deleted).`);
    loaded = { meta: got.meta, records: got.records, byId: new Map(got.records.map((r) => [r.id, r])) };
    scheduler = null;
    return loaded;
  };

  const controlsKey = (meta: DatasetMeta) => meta.fingerprint || `id:${meta.id}`;

  // The source is part of the key by identity: another policy or ONNX model gives another source object.
  const schedulerFor = async (data: NonNullable<typeof loaded>, config: CurriculumConfig, steps: number, batchSize: number) => {
    const key = JSON.stringify([data.meta.id, data.meta.fingerprint, config, steps, batchSize]);
    const { records } = trainingRecords(data.records);
    const source = await similaritySource(config.similarity, records);
    if (scheduler?.key !== key || scheduler.source !== source) {
      scheduler = { key, source, value: new CurriculumScheduler(records, config, source, { batchSize, totalSteps: steps }) };
    }
    return { sched: scheduler.value, source };
  };

  return {
    'curriculum/analyse': async (params) => {
      const config = restoreCurriculumConfig(params.curriculum, 'curriculum/analyse: curriculum');
      const steps = positiveInt(params.steps, 'steps', MAX_STEPS);
      const batchSize = positiveInt(params.batchSize, 'batchSize', 4096);
      const fromStep = stepIndex(params.fromStep, 'fromStep');
      const window = positiveInt(params.window, 'window', MAX_WINDOW);
      const points = positiveInt(params.curvePoints ?? 200, 'curvePoints', MAX_CURVE_POINTS);

      const data = await loadDataset(params.datasetId);
      const { split, records } = trainingRecords(data.records);
      const { sched, source } = await schedulerFor(data, config, steps, batchSize);
      const controls = await (await controlsDb()).get(controlsKey(data.meta));
      sched.controls = controls;

      const byId = data.byId;
      const questions = records
        .map((r) => ({ r, s: questionSimilarity(r, source) }))
        .filter((x): x is { r: VqaRecord; s: number } => x.s !== null)
        .sort((a, b) => a.s - b.s || (a.r.id < b.r.id ? -1 : a.r.id > b.r.id ? 1 : 0))
        .map(({ r, s }) => ({ id: r.id, similarity: s, questionType: r.questionType, anatomy: r.anatomy }));
      const naturalMean = questions.length ? questions.reduce((a, q) => a + q.similarity, 0) / questions.length : 0;
      const curve: PacingPoint[] = curveSteps(steps, points).map((step) => ({ step, level: sched.levelAt(step), meanTarget: sched.meanTargetAt(step) }));
      const queue = sched.queue(fromStep, window).map(({ step, questions: qs }) => ({
        step,
        level: sched.levelAt(step),
        meanTarget: sched.meanTargetAt(step),
        questions: qs.map((q) => toQueueQuestion(q, byId.get(q.record.id) ?? q.record)),
      }));
      const describe = (id: string, state: ControlledQuestion['state'], step?: number): ControlledQuestion => {
        const r = byId.get(id);
        return {
          id,
          question: r?.question ?? '(no longer in the dataset)',
          answer: r?.answer ?? '',
          similarity: r ? questionSimilarity(r, source) : null,
          state,
          ...(step !== undefined ? { step } : {}),
        };
      };
      const controlled = [
        ...controls.excluded.map((id) => describe(id, 'excluded')),
        ...controls.pinned.map((id) => describe(id, 'pinned')),
        ...controls.moves.map((m) => describe(m.id, 'moved', m.step)),
      ];
      const result: CurriculumAnalysis = {
        datasetId: data.meta.id,
        datasetName: data.meta.name,
        fingerprint: data.meta.fingerprint,
        split,
        source: { id: source.id, label: source.label },
        formula: SIMILARITY_FORMULA,
        questions,
        skipped: records.length - questions.length,
        histogram: sched.histogram(20),
        naturalMean,
        curve,
        queue,
        controls,
        controlled,
        steps,
        batchSize,
      };
      return result;
    },

    'curriculum/control': async ({ datasetId, action }) => {
      const data = await loadDataset(datasetId);
      const db = await controlsDb();
      const key = controlsKey(data.meta);
      let controls: CurriculumControls = await db.get(key);
      if (action.kind === 'clear') {
        controls = emptyControls();
      } else {
        if (!data.byId.has(action.id)) throw new Error(`No question with id ${JSON.stringify(action.id)} in ${data.meta.name}.`);
        const without = (xs: string[]) => xs.filter((x) => x !== action.id);
        switch (action.kind) {
          case 'exclude':
            controls = {
              excluded: [...without(controls.excluded), action.id],
              pinned: without(controls.pinned),
              moves: controls.moves.filter((m) => m.id !== action.id),
            };
            break;
          case 'include':
            controls = { ...controls, excluded: without(controls.excluded) };
            break;
          case 'pin':
            controls = { ...controls, excluded: without(controls.excluded), pinned: [...without(controls.pinned), action.id] };
            break;
          case 'unpin':
            controls = { ...controls, pinned: without(controls.pinned) };
            break;
          case 'move':
            controls = {
              ...controls,
              excluded: without(controls.excluded),
              moves: [...controls.moves.filter((m) => m.id !== action.id), { id: action.id, step: stepIndex(action.step, 'move step') }],
            };
            break;
        }
      }
      await db.put(key, controls);
      return controls;
    },

    'curriculum/sources': async () => {
      const { info, error } = await models.policyInfo();
      return { policy: info, policyError: error, onnx: models.onnxInfo };
    },

    'curriculum/load-onnx': async ({ model, tokenizer }) => {
      if (!model || typeof model.name !== 'string' || !(model.bytes instanceof Uint8Array)) throw new Error('load-onnx: expected the model file (name and bytes)');
      if (!tokenizer || typeof tokenizer.name !== 'string' || !(tokenizer.bytes instanceof Uint8Array)) throw new Error('load-onnx: expected tokenizer.json (name and bytes)');
      if (tokenizer.bytes.length > MAX_TOKENIZER_BYTES) throw new Error(`${tokenizer.name}: ${tokenizer.bytes.length} bytes is too large for a tokenizer.json`);
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(tokenizer.bytes);
      } catch {
        throw new Error(`${tokenizer.name}: not UTF-8 text; expected a Hugging Face tokenizer.json`);
      }
      return models.loadOnnx(model, { name: tokenizer.name, text });
    },

    'curriculum/explain-pair': async ({ a, b }) => {
      if (typeof a !== 'string' || typeof b !== 'string') throw new Error('explain-pair: expected two names');
      return explainPair(a.slice(0, 200), b.slice(0, 200));
    },

    'augment/preview': async (params) => {
      const augment = restoreAugmentConfig({ ...params.augment, enabled: true }, 'augment/preview: augment');
      const groupSize = positiveInt(params.groupSize, 'groupSize', 256);
      const step = stepIndex(params.step ?? 0, 'step');
      const limit = positiveInt(params.limit ?? 3, 'limit', MAX_PREVIEW);
      const data = await loadDataset(params.datasetId);
      const { records } = trainingRecords(data.records);
      const multipleChoice = (r: VqaRecord | undefined): r is VqaRecord => !!r && !r.open && r.goldIndex >= 0 && r.options.length >= 2;

      let chosen: VqaRecord[];
      // Redraws of the variants use the curriculum's similarity when the batch is the curriculum's.
      let similarity: SimilaritySource = LEXICON_SOURCE;
      const missing: string[] = [];
      if (params.recordIds && params.recordIds.length > 0) {
        chosen = [];
        for (const id of params.recordIds.slice(0, 100)) {
          const r = data.byId.get(id);
          if (!multipleChoice(r)) missing.push(id);
          else if (chosen.length < limit) chosen.push(r);
        }
      } else if (params.curriculum) {
        const config = restoreCurriculumConfig(params.curriculum, 'augment/preview: curriculum');
        const { sched, source } = await schedulerFor(data, config, positiveInt(params.steps ?? 200, 'steps', MAX_STEPS), positiveInt(params.batchSize ?? 8, 'batchSize', 4096));
        similarity = source;
        sched.controls = await (await controlsDb()).get(controlsKey(data.meta));
        chosen = sched.batchAt(step).slice(0, limit).map((q) => q.record);
      } else {
        const pool = records.filter(multipleChoice);
        const order = new SeededRandom(hashSeed(augment.seed, 'preview', step)).shuffle(pool.map((_, i) => i));
        chosen = order.slice(0, limit).map((i) => pool[i]);
      }

      const pools = buildAnswerPools(records);
      const store = await datasets();
      const groups: PreviewGroup[] = [];
      for (const record of chosen) {
        const group = buildQuestionGroup(record, { config: augment, groupSize, step, pools, similarity, lastGroupZeroStd: true });
        const image = record.image ? await store.getImage(data.meta.id, record.image) : null;
        groups.push({
          recordId: record.id,
          questionType: record.questionType,
          anatomy: record.anatomy,
          augmented: group.augmented,
          reason: group.reason,
          rolloutVariant: group.rolloutVariant,
          variants: group.variants.map((v) => {
            const shown = image ? applyImageTransforms(image, v.imageTransforms) : null;
            return {
              ...v,
              options: v.options.slice(),
              rollouts: group.rolloutVariant.filter((x) => x === v.index).length,
              png: shown ? encodePng({ width: shown.width, height: shown.height, data: shown.data as Uint8Array }) : null,
              width: shown?.width ?? 0,
              height: shown?.height ?? 0,
            };
          }),
        });
      }
      return { groups, missing, step, groupSize };
    },
  };
}
