// The GRPO trainer (with its SFT warm start): plain TypeScript over the Backend interface, so the same loop
// runs in the engine worker on WebGPU, in Node tests on the CpuBackend or Dawn, and in the CLI. Every random
// choice is a hash of (seed, step, ...) — question draws, GDQA variants, rollouts — so the trainer's state is
// its weights, AdamW moments, step counters, the zero-variance memory and the curriculum controls, and a run
// restored from a snapshot continues exactly as an uninterrupted one would.
//
// How one GRPO step departs from the paper's / TRL's (../shared/PAPER.md section 1), in words:
// - Rollouts: G completions per question at the run's temperature / top-p / top-k, cut at maxCompletionLength
//   or at `</answer>` (the format is complete there). Completions start with `<think>` written by the policy.
// - Rewards: the registry of rl/rewards.ts, each rollout scored against its own GDQA variant's options and gold.
// - Advantages: the WGSL group kernel (or its CPU reference): (r - mean) / (std + 1e-4) per group, sample std,
//   pooled over a GDQA group's variants; scaleRewards batch/none as configured.
// - Old log-probs: with numIterations > 1, log pi_old is the first update's forward (identical weights to the
//   sampling policy, so rho = 1 exactly on the first update as in TRL; the KV-cache decode differs by rounding).
// - Reference: a frozen copy of the policy at the start of GRPO (after any warm start), kept only when beta > 0.
// - Optimizer: AdamW (0.9, 0.999, 1e-8), global-norm clip, linear warmup over warmupRatio then constant lr.
// - Dynamic sampling refills from seeded uniform draws of the training questions (the curriculum is not asked
//   twice for one step); a batch still short after maxResamples is topped up with zero-variance groups.

import { buildAnswerPools } from '../../curriculum/redraw.ts';
import { buildQuestionGroup, variantRecord, ZeroVarianceMemory, type QuestionGroup } from '../../augment/group-builder.ts';
import { restoreCurriculumConfig } from '../../curriculum/config.ts';
import { questionSimilarity } from '../../curriculum/difficulty.ts';
import { CurriculumScheduler, type CurriculumControls, type ScheduledQuestion } from '../../curriculum/scheduler.ts';
import { hashSeed, SeededRandom } from '../../curriculum/seeded-random.ts';
import type { SimilaritySource } from '../../curriculum/similarity.ts';
import type { EmbeddingTable } from '../../curriculum/embedding-table.ts';
import { runSimilarity } from '../../curriculum/run-similarity.ts';
import { isMultipleChoice, type VqaRecord } from '../../data/record.ts';
import { judgeCompletion } from '../../eval/judge.ts';
import { fitQuestionPrior, questionOnlyAccuracy, type QuestionPrior } from '../../eval/question-only.ts';
import { numImageTokens, type ModelConfig } from '../../model/config.ts';
import { generate, type Completion } from '../../model/policy/generate.ts';
import { PolicyParameters } from '../../model/policy/parameters.ts';
import { Policy, type PolicyBatch } from '../../model/policy/policy.ts';
import { restoreTokenizer, type Tokenizer, type TokenizerJson } from '../../model/tokenizer.ts';
import type { Backend } from '../../tensor/backend.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import type { InspectorGroup, SftStepMetrics, TrainRunConfig } from '../../worker/train-protocol.ts';
import { groupAdvantages } from '../advantages.ts';
import { augmentGroupCounts, rewardMetrics, zeroStdByAnatomy, type StepMetrics } from '../metrics.ts';
import { dynamicSample, gpgScale, type PolicyLossOptions } from '../policy-loss.ts';
import { combinedReward, REWARD_FUNCTIONS } from '../rewards.ts';
import { grpoOpsFor, LOSS_STATS, type GrpoOps } from './grpo-ops.ts';
import { PixelCache, type RgbBytes } from './images.ts';
import { PolicyOptimizer, type OptimizerSettings, type OptimizerState } from './optimizer.ts';
import { captionPromptIds, captionTargetIds, completionText, promptIds, sftTargetText, stopTokens } from './prompting.ts';

/** The dataset as the trainer reads it. */
export interface TrainerData {
  /** Every record of the dataset (the trainer picks its splits). */
  records: readonly VqaRecord[];
  /** Stored image of a reference, or null. */
  image(ref: string): RgbBytes | null;
  /**
   * What an image shows, in words, where the dataset knows it (AnatomySynth's layout): SFT then also trains the
   * policy to caption the image. Absent, or null for an image, means questions only.
   */
  grounding?(ref: string): string | null;
}

/** Starting weights: a model config, its tokenizer, and weights (null = fresh from config.seed). */
export interface TrainerInit {
  model: ModelConfig;
  tokenizer: Tokenizer;
  weights: Map<string, Float32Array> | null;
  /** Checkpoint metadata besides config and tokenizer (e.g. the pretrained card), when loaded from one. */
  extra?: Record<string, string>;
  /** Answer embeddings precomputed for curriculum.similarity 'onnx:<name>' (the worker's loaded model); for
   * 'policy' the trainer embeds the option names with these initial weights itself when absent. */
  similarityTable?: EmbeddingTable;
}

/** Test hooks that break a run on purpose. */
export interface TrainerFaults {
  /** Make the loss NaN at this GRPO step (NaN advantages): the run must stop and keep its last checkpoint. */
  nanAtStep?: number;
  /** Replace the combined reward of each rollout (unit tests of an untrained policy, whose rewards are all 0). */
  rewardOverride?: (tokens: readonly number[]) => number;
}

/** Everything a checkpoint holds (weights and moments as host arrays). */
export interface TrainerSnapshot {
  version: 1;
  runConfig: TrainRunConfig;
  model: ModelConfig;
  /** As Tokenizer.toJSON() (structured-clone safe for IndexedDB). */
  tokenizer: TokenizerJson;
  /** GRPO steps done. */
  step: number;
  /** SFT steps done. */
  sftStep: number;
  /** The GRPO phase began (reference taken, optimizer reset). */
  grpoStarted: boolean;
  weights: Map<string, Float32Array>;
  /** Weights of the frozen reference (beta > 0 once GRPO began), else null. */
  reference: Map<string, Float32Array> | null;
  optimizer: OptimizerState;
  zeroVariance: [string, boolean][];
  curriculumControls: CurriculumControls;
  metrics: StepMetrics[];
  sftMetrics: SftStepMetrics[];
  /** All draws are counter-based hashes of this seed and the step: there is no other generator state. */
  rng: { kind: 'counter'; seed: number };
  evalBefore: EvalResult | null;
  /** The answer embeddings the run began with ('policy' / 'onnx:' similarity), so a resume scores as before;
   * absent or null for the lexicon (and in checkpoints written before it existed). */
  similarityTable?: EmbeddingTable | null;
}

export interface EvalResult {
  /** Correct / questions. */
  accuracy: number;
  questions: number;
  /** Completions from which an answer could be extracted. */
  extracted: number;
  /** Ids of the questions answered right, so two evaluations of one run compare question by question
   * (pairedComparison). Absent in checkpoints written before it existed. */
  correct?: string[];
  /** Accuracy of the question-only baseline on the same questions (src/eval/question-only.ts): what the text
   * alone gets, counted over the training split. Absent in checkpoints written before it existed. */
  questionOnly?: number;
  /** The same evaluation by question type (records without one under ''): a run can gain on one type while it
   * loses on another, which the overall figure hides. Absent in checkpoints written before it existed. */
  byType?: Record<string, TypeScore>;
}

/** One question type's part of an evaluation. */
export interface TypeScore {
  questions: number;
  correct: number;
  extracted: number;
}

export interface GrpoStepResult {
  metrics: StepMetrics;
  inspector: InspectorGroup[];
}

export class NonFiniteLossError extends Error {
  override name = 'NonFiniteLossError';
}

/** One scored group of a step. */
interface ScoredGroup {
  question: ScheduledQuestion;
  group: QuestionGroup;
  /** Per rollout (G): the record it was posed as, its prompt ids, its image key. */
  posed: VqaRecord[];
  prompts: number[][];
  imageKeys: string[];
  completions: Completion[];
  texts: string[];
  rewards: number[];
  perFunction: Record<string, number[]>;
  zeroStd: boolean;
}

const ADAM = { beta1: 0.9, beta2: 0.999, eps: 1e-8 };
const EVAL_BATCH = 16;

export class GrpoTrainer {
  readonly policy: Policy;
  private reference: Policy | null = null;
  private readonly optimizer: PolicyOptimizer;
  private readonly ops: GrpoOps;
  private readonly pixels: PixelCache;
  private readonly scheduler: CurriculumScheduler;
  private readonly similarity: SimilaritySource;
  private readonly similarityTable: EmbeddingTable | null;
  private readonly pools: Map<string, string[]>;
  private zeroVariance = new ZeroVarianceMemory();
  /** Training questions that fit the sequence budget (prompt plus a completion). */
  readonly trainRecords: VqaRecord[];
  readonly evalRecords: VqaRecord[];
  /** The training split's answer counts per question text, for the question-only baseline of each evaluation. */
  private readonly questionPrior: QuestionPrior;
  step = 0;
  sftStep = 0;
  grpoStarted = false;
  readonly metrics: StepMetrics[] = [];
  readonly sftMetrics: SftStepMetrics[] = [];
  evalBefore: EvalResult | null = null;

  /** The dataset's words for an image, for SFT caption rows (TrainerData.grounding). */
  private readonly grounding: (ref: string) => string | null;

  private constructor(
    readonly backend: Backend,
    readonly config: TrainRunConfig,
    readonly tokenizer: Tokenizer,
    model: ModelConfig,
    weights: Map<string, Float32Array> | null,
    data: TrainerData,
    private readonly faults: TrainerFaults,
    similarityTable?: EmbeddingTable | null,
  ) {
    const params = weights ? PolicyParameters.fromArrays(backend, model, weights) : PolicyParameters.init(backend, model);
    this.policy = new Policy(backend, model, params);
    this.ops = grpoOpsFor(backend);
    this.pixels = new PixelCache((ref) => data.image(ref), model.imageSize);
    this.grounding = data.grounding ? (ref) => data.grounding!(ref) : () => null;
    const fits = (r: VqaRecord) => numImageTokens(model) + promptIds(tokenizer, r).length + 16 <= model.maxSeqLen;
    const mc = data.records.filter(isMultipleChoice);
    let train = mc.filter((r) => r.split === config.trainSplit);
    if (train.length === 0) train = mc.filter((r) => r.split !== config.eval.split);
    this.trainRecords = train.filter(fits);
    if (this.trainRecords.length === 0) throw new Error(`trainer: no multiple-choice '${config.trainSplit}' question fits maxSeqLen ${model.maxSeqLen}`);
    let evalPool = mc.filter((r) => r.split === config.eval.split);
    if (evalPool.length === 0) evalPool = mc.filter((r) => r.split !== config.trainSplit);
    this.evalRecords = evalPool.filter(fits);
    this.questionPrior = fitQuestionPrior(this.trainRecords);
    // 'policy' embeds the options once with the weights given here: the initial ones on create; on a restore
    // without a stored table, the seeded initial values (exact for runs from scratch; see run-similarity.ts).
    const sim = runSimilarity(config.curriculum.similarity, similarityTable, { name: 'run start', config: model, tokenizer, weights: similarityTable === undefined ? weights : null }, this.trainRecords.flatMap((r) => r.options));
    this.similarity = sim.source;
    this.similarityTable = sim.table;
    this.pools = buildAnswerPools(this.trainRecords);
    const g = config.grpo;
    // With the curriculum off the question order is the run's seed (one seed per run), else the curriculum's.
    const curriculum = restoreCurriculumConfig(config.curriculum.enabled ? config.curriculum : { ...config.curriculum, seed: g.seed });
    this.scheduler = new CurriculumScheduler(this.trainRecords, curriculum, this.similarity, { batchSize: g.batchSize, totalSteps: g.steps, pools: this.pools });
    this.optimizer = new PolicyOptimizer(backend, params, g.sft.steps > 0 ? this.sftSettings() : this.grpoSettings());
  }

  /** A trainer at step 0 from initial weights; without a warm start the GRPO phase begins at once. */
  static create(backend: Backend, config: TrainRunConfig, data: TrainerData, init: TrainerInit, faults: TrainerFaults = {}): GrpoTrainer {
    if (init.model.vocabSize !== init.tokenizer.vocabSize) throw new Error(`trainer: model vocabulary ${init.model.vocabSize} differs from the tokenizer's ${init.tokenizer.vocabSize}`);
    const t = new GrpoTrainer(backend, config, init.tokenizer, init.model, init.weights, data, faults, init.similarityTable);
    if (config.grpo.sft.steps === 0) t.beginGrpo();
    return t;
  }

  /** A trainer exactly where the snapshot left it. */
  static restore(backend: Backend, snap: TrainerSnapshot, data: TrainerData, faults: TrainerFaults = {}): GrpoTrainer {
    const t = new GrpoTrainer(backend, snap.runConfig, restoreTokenizer(snap.tokenizer, 'checkpoint tokenizer'), snap.model, snap.weights, data, faults, snap.similarityTable ?? null);
    t.step = snap.step;
    t.sftStep = snap.sftStep;
    t.grpoStarted = snap.grpoStarted;
    if (snap.grpoStarted) {
      t.optimizer.settings = t.grpoSettings();
      if (snap.reference) t.reference = new Policy(backend, snap.model, PolicyParameters.fromArrays(backend, snap.model, snap.reference));
    }
    t.optimizer.loadState(snap.optimizer);
    t.zeroVariance = ZeroVarianceMemory.restore(snap.zeroVariance);
    t.scheduler.controls = snap.curriculumControls;
    t.metrics.push(...snap.metrics);
    t.sftMetrics.push(...snap.sftMetrics);
    t.evalBefore = snap.evalBefore;
    return t;
  }

  get model(): ModelConfig {
    return this.policy.config;
  }

  /** 'sft' while warm-start steps remain, 'grpo' while GRPO steps remain, else 'done'. */
  get phase(): 'sft' | 'grpo' | 'done' {
    if (this.sftStep < this.config.grpo.sft.steps) return 'sft';
    return this.step < this.config.grpo.steps ? 'grpo' : 'done';
  }

  get curriculumControls(): CurriculumControls {
    return this.scheduler.controls;
  }

  set curriculumControls(c: CurriculumControls) {
    this.scheduler.controls = c;
  }

  private sftSettings(): OptimizerSettings {
    const s = this.config.grpo.sft;
    const warmup = Math.min(20, Math.ceil(0.05 * s.steps));
    return { ...ADAM, weightDecay: this.config.grpo.weightDecay, maxGradNorm: this.config.grpo.maxGradNorm, schedule: { kind: 'cosine', peakLr: s.learningRate, warmupSteps: warmup, totalSteps: s.steps, minLr: s.learningRate / 10 } };
  }

  private grpoSettings(): OptimizerSettings {
    const g = this.config.grpo;
    const updates = g.steps * g.numIterations;
    return {
      ...ADAM, weightDecay: g.weightDecay, maxGradNorm: g.maxGradNorm,
      schedule: { kind: 'linear-warmup', peakLr: g.learningRate, warmupSteps: Math.round(g.warmupRatio * updates), totalSteps: updates, minLr: g.learningRate },
    };
  }

  /** Start of GRPO: freeze the reference (beta > 0) and give GRPO a fresh AdamW. */
  private beginGrpo(): void {
    if (this.grpoStarted) return;
    this.grpoStarted = true;
    if (this.config.grpo.beta > 0) this.reference = this.policy.clone();
    this.optimizer.reset(this.grpoSettings());
  }

  // ---------------------------------------------------------------------------------------------------
  // SFT warm start

  private sftBatch(step: number): VqaRecord[] {
    const n = this.trainRecords.length, bs = this.config.grpo.sft.batchSize, seed = this.config.grpo.seed;
    const out: VqaRecord[] = [];
    let perm: number[] = [], epoch = -1;
    for (let k = step * bs; k < step * bs + bs; k++) {
      const e = Math.floor(k / n);
      if (e !== epoch) {
        epoch = e;
        perm = new SeededRandom(hashSeed(seed, 'sft', e)).shuffle(Array.from({ length: n }, (_, i) => i));
      }
      out.push(this.trainRecords[perm[k % n]]);
    }
    return out;
  }

  /**
   * Caption rows beside a batch's questions: one per distinct image the dataset describes (TrainerData.grounding),
   * at most half as many as the questions. Each names every structure of its image, so the image encoder is
   * taught by several labels per image rather than the one a question gives (bench/grpo-runs.md, "Teaching the policy its image").
   */
  private captionRows(records: readonly VqaRecord[]): { ref: string; prompt: number[]; completion: number[] }[] {
    const tok = this.tokenizer, prompt = captionPromptIds(tok), room = this.policy.config.maxSeqLen - numImageTokens(this.policy.config) - prompt.length;
    const rows: { ref: string; prompt: number[]; completion: number[] }[] = [];
    const seen = new Set<string>();
    for (const r of records) {
      if (rows.length >= Math.floor(records.length / 2) || seen.has(r.image)) continue;
      seen.add(r.image);
      const text = this.grounding(r.image);
      if (!text) continue;
      const completion = captionTargetIds(tok, text);
      if (completion.length <= room) rows.push({ ref: r.image, prompt, completion });
    }
    return rows;
  }

  /** One warm-start step: cross-entropy on the gold answers in the tag format. */
  async sftStepOnce(): Promise<SftStepMetrics> {
    if (this.phase !== 'sft') throw new Error('trainer: no SFT steps left');
    const t0 = performance.now();
    const b = this.backend, tok = this.tokenizer;
    const records = this.sftBatch(this.sftStep);
    const captions = this.captionRows(records);
    const { images, imageOf } = this.imageBatch([...records.map((r) => r.image), ...captions.map((c) => c.ref)].map((ref) => ({ ref, transforms: [] })));
    const form = this.config.grpo.sft.answerForm;
    const batch: PolicyBatch = {
      images, imageOfRow: imageOf,
      prompts: [...records.map((r) => promptIds(tok, r)), ...captions.map((c) => c.prompt)],
      completions: [...records.map((r) => tok.encode(sftTargetText(r, form))), ...captions.map((c) => c.completion)],
    };
    const lr = this.optimizer.lr;
    this.policy.params.zeroGrads();
    let sft: ReturnType<Policy['sftLoss']> | null = null;
    let normSq: Tensor | null = null;
    try {
      sft = this.policy.sftLoss(batch);
      sft.backward();
      normSq = this.optimizer.gradNormSq();
      const loss = (await b.read(sft.loss))[0];
      const gn = Math.sqrt((await b.read(normSq))[0]);
      if (!Number.isFinite(loss) || !Number.isFinite(gn)) throw new NonFiniteLossError(`SFT step ${this.sftStep}: loss ${loss}, gradient norm ${gn}; weights left as before this step`);
      this.optimizer.step(normSq);
      b.flush();
      const dt = (performance.now() - t0) / 1000;
      const m: SftStepMetrics = { step: this.sftStep, loss, grad_norm: gn, learning_rate: lr, step_time: dt, tokens_per_second: sft.tokenCount / dt };
      this.sftMetrics.push(m);
      this.sftStep++;
      if (this.phase !== 'sft') this.beginGrpo();
      return m;
    } finally {
      sft?.dispose();
      normSq?.dispose();
      images.dispose();
      this.policy.params.zeroGrads();
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // GRPO

  /** Distinct images of a list of (ref, transforms), and which one each row uses. */
  private imageBatch(rows: readonly { ref: string; transforms: QuestionGroup['variants'][number]['imageTransforms'] }[]): { images: Tensor; imageOf: number[]; keys: string[] } {
    const index = new Map<string, number>();
    const pixels: Float32Array[] = [];
    const keys: string[] = [];
    const imageOf = rows.map(({ ref, transforms }) => {
      const key = transforms.length ? `${ref}\u0000${JSON.stringify(transforms)}` : ref;
      keys.push(key);
      let i = index.get(key);
      if (i === undefined) {
        index.set(key, (i = pixels.length));
        pixels.push(this.pixels.pixels(ref, transforms));
      }
      return i;
    });
    return { images: this.pixels.batch(this.backend, pixels), imageOf, keys };
  }

  /** Samples and scores the groups of `questions` (one round of a step). */
  private async rollout(questions: readonly ScheduledQuestion[], round: number): Promise<ScoredGroup[]> {
    const g = this.config.grpo, tok = this.tokenizer, G = g.groupSize;
    const groups = questions.map((q) =>
      buildQuestionGroup(q.record, {
        config: this.config.augment, groupSize: G, step: this.step, pools: this.pools, similarity: this.similarity,
        lastGroupZeroStd: this.zeroVariance.lastZeroStd(q.record.id),
      }),
    );
    const posed = groups.map((grp, qi) => grp.rolloutVariant.map((v) => variantRecord(questions[qi].record, grp.variants[v])));
    const transforms = groups.map((grp) => grp.rolloutVariant.map((v) => grp.variants[v].imageTransforms));
    const augmented = groups.some((grp) => grp.augmented);
    // Plain groups share one prompt per question (prefill once, G samples); augmented ones pose each rollout.
    const rows = augmented
      ? posed.flatMap((ps, qi) => ps.map((r, k) => ({ record: r, ref: r.image, transforms: transforms[qi][k] })))
      : questions.map((q) => ({ record: q.record, ref: q.record.image, transforms: [] }));
    const { images, imageOf, keys } = this.imageBatch(rows);
    let completions: Completion[];
    const prompts = rows.map((r) => promptIds(tok, r.record));
    try {
      completions = await generate(this.policy, { images, imageOfPrompt: imageOf, prompts }, {
        samplesPerPrompt: augmented ? 1 : G, greedy: false, temperature: g.temperature, topK: g.topK, topP: g.topP,
        maxNewTokens: g.maxCompletionLength, stopTokens: stopTokens(tok), seed: hashSeed(g.seed, 'rollout', this.step, round), padId: tok.padId,
      });
    } finally {
      images.dispose();
    }
    return groups.map((group, qi) => {
      const texts: string[] = [], rewards: number[] = [], perFunction: Record<string, number[]> = {};
      for (const fn of REWARD_FUNCTIONS) perFunction[fn.name] = [];
      const groupCompletions = completions.slice(qi * G, (qi + 1) * G);
      const groupPrompts: number[][] = [], imageKeys: string[] = [];
      groupCompletions.forEach((c, k) => {
        const row = augmented ? qi * G + k : qi;
        groupPrompts.push(prompts[row]);
        imageKeys.push(keys[row]);
        const text = completionText(tok, c.tokens);
        const r = posed[qi][k];
        const scored = combinedReward({
          completion: text, options: r.options, goldIndex: r.goldIndex, completionTokens: c.tokens.length,
          maxCompletionLength: g.maxCompletionLength, lengthPenaltyCache: g.lengthPenaltyCache,
        }, g.rewardWeights);
        texts.push(text);
        rewards.push(this.faults.rewardOverride ? this.faults.rewardOverride(c.tokens) : scored.total);
        for (const [name, v] of Object.entries(scored.perFunction)) (perFunction[name] ??= []).push(v);
      });
      const zeroStd = groupAdvantages(rewards, G, 'group').zeroStd[0];
      return { question: questions[qi], group, posed: posed[qi], prompts: groupPrompts, imageKeys, completions: groupCompletions, texts, rewards, perFunction, zeroStd };
    });
  }

  /** Extra questions for dynamic sampling: seeded uniform draws of training questions, posed as released. */
  private refill(count: number, round: number): ScheduledQuestion[] {
    const rng = new SeededRandom(hashSeed(this.config.grpo.seed, 'dynamic', this.step, round));
    return Array.from({ length: count }, () => {
      const record = this.trainRecords[rng.int(this.trainRecords.length)];
      const s = questionSimilarity(record, this.similarity) ?? 0;
      return { record, naturalSimilarity: s, similarity: s, target: null, origin: 'drawn' as const };
    });
  }

  /** One GRPO step: sample, score, advantages, numIterations clipped updates; returns the step's metrics. */
  async grpoStep(): Promise<GrpoStepResult> {
    if (this.phase === 'sft') throw new Error('trainer: finish the SFT warm start first');
    if (this.phase === 'done') throw new Error('trainer: all GRPO steps are done');
    this.beginGrpo();
    const t0 = performance.now();
    const b = this.backend, g = this.config.grpo, G = g.groupSize;

    const scheduled = this.scheduler.batchAt(this.step);
    let groups: ScoredGroup[];
    if (g.dynamicSampling.enabled) {
      const r = await dynamicSample(scheduled.length, g.dynamicSampling.maxResamples,
        (count, round) => this.rollout(round === 0 ? scheduled.slice(0, count) : this.refill(count, round), round),
        (grp) => !grp.zeroStd);
      groups = r.groups;
    } else {
      groups = await this.rollout(scheduled, 0);
    }
    const N = groups.length * G;
    const rewards = groups.flatMap((grp) => grp.rewards);
    const cpuAdv = groupAdvantages(rewards, G, g.scaleRewards);
    for (const grp of groups) this.zeroVariance.record(grp.question.record.id, grp.zeroStd);

    // The training batch: one row per rollout.
    const rows = groups.flatMap((grp) => grp.completions.map((c, k) => ({ grp, c, k })));
    const { images, imageOf } = this.imageBatch(rows.map(({ grp, k }) => ({ ref: grp.posed[k].image, transforms: grp.group.variants[grp.group.rolloutVariant[k]].imageTransforms })));
    const batch: PolicyBatch = {
      images, imageOfRow: imageOf,
      prompts: rows.map(({ grp, k }) => grp.prompts[k]),
      completions: rows.map(({ c }) => c.tokens),
      padId: this.tokenizer.padId,
    };
    const lossOpts: PolicyLossOptions = {
      epsLow: g.epsLow, epsHigh: g.epsHigh, beta: g.beta, lossType: g.lossType, maxCompletionLength: g.maxCompletionLength,
      lossScale: g.gpgRescale ? gpgScale(cpuAdv.advantages) : 1,
    };

    const owned: Tensor[] = [images];
    const keep = <T extends Tensor | null>(t: T): T => {
      if (t) owned.push(t);
      return t;
    };
    let lossSum = 0, klSum = 0, lowSum = 0, highSum = 0, gradNormSum = 0, entropy = 0, trainedTokens = 0;
    const lr = this.optimizer.lr;
    let refResult: ReturnType<Policy['logProbs']> | null = null;
    try {
      const rewardsT = keep(b.fromArray(rewards, [N]));
      let advantages: Tensor;
      if (this.faults.nanAtStep === this.step) {
        advantages = keep(b.fromArray(new Float32Array(N).fill(NaN), [N]));
      } else {
        const adv = this.ops.advantages(rewardsT, G, g.scaleRewards);
        advantages = keep(adv.advantages);
        keep(adv.stats);
      }
      if (g.beta > 0) refResult = this.reference!.logProbs(batch);
      let oldLogp: Tensor | null = null;
      for (let it = 0; it < g.numIterations; it++) {
        this.policy.params.zeroGrads();
        const r = this.policy.logProbs(batch, { train: true, entropy: it === 0 });
        let out: ReturnType<GrpoOps['policyLoss']> | null = null;
        let normSq: Tensor | null = null;
        try {
          out = this.ops.policyLoss({ logp: r.logp, oldLogp, refLogp: refResult?.logp ?? null, advantages, mask: r.mask, entropy: r.entropy }, r.layout.mask, lossOpts);
          if (g.numIterations > 1 && it === 0) oldLogp = keep(b.copy(r.logp));
          r.backward(out.dlogp);
          normSq = this.optimizer.gradNormSq();
          const stats = await b.read(out.stats);
          const gn = Math.sqrt((await b.read(normSq))[0]);
          const loss = stats[LOSS_STATS.loss];
          if (!Number.isFinite(loss) || !Number.isFinite(gn)) {
            throw new NonFiniteLossError(`GRPO step ${this.step} (update ${it + 1}/${g.numIterations}): loss ${loss}, gradient norm ${gn}; weights left as before this update`);
          }
          this.optimizer.step(normSq);
          b.flush();
          const tokens = Math.max(stats[LOSS_STATS.tokens], 1);
          lossSum += loss;
          klSum += stats[LOSS_STATS.klSum] / tokens;
          lowSum += stats[LOSS_STATS.clipLow] / tokens;
          highSum += stats[LOSS_STATS.clipHigh] / tokens;
          gradNormSum += gn;
          trainedTokens += stats[LOSS_STATS.tokens];
          if (it === 0) entropy = stats[LOSS_STATS.entropySum] / tokens;
        } finally {
          out?.dlogp.dispose();
          out?.stats.dispose();
          normSq?.dispose();
          r.dispose();
        }
      }
    } finally {
      refResult?.dispose();
      owned.forEach((t) => t.dispose());
      this.policy.params.zeroGrads();
    }

    const mu = g.numIterations;
    const lengths = rows.map(({ c }) => c.tokens.length);
    const generated = lengths.reduce((a, x) => a + x, 0);
    const perFunction: Record<string, number[]> = {};
    for (const grp of groups) for (const [name, v] of Object.entries(grp.perFunction)) (perFunction[name] ??= []).push(...v);
    const dt = (performance.now() - t0) / 1000;
    // Over every group trained on (not only the inspector's): how many GDQA split, and how many it made informative.
    const gdqa = augmentGroupCounts(groups.map((grp) => ({ augmented: grp.group.augmented, reason: grp.group.reason, rewards: grp.rewards, rolloutVariant: grp.group.rolloutVariant })));
    const metrics: StepMetrics = {
      step: this.step,
      ...rewardMetrics(rewards, perFunction, cpuAdv.groupStd),
      frac_reward_zero_std: cpuAdv.fracRewardZeroStd,
      frac_reward_zero_std_by_anatomy: zeroStdByAnatomy(cpuAdv.zeroStd, groups.map((grp) => grp.question.record.anatomy)),
      kl: g.beta > 0 ? klSum / mu : 0,
      'clip_ratio/low_mean': lowSum / mu,
      'clip_ratio/high_mean': highSum / mu,
      'clip_ratio/region_mean': (lowSum + highSum) / mu,
      entropy,
      'completions/mean_length': generated / Math.max(rows.length, 1),
      'completions/clipped_ratio': rows.filter(({ c }) => c.finish === 'length').length / Math.max(rows.length, 1),
      loss: lossSum / mu,
      grad_norm: gradNormSum / mu,
      learning_rate: lr,
      step_time: dt,
      tokens_per_second: (generated + trainedTokens) / dt,
      answer_similarity: groups.length ? groups.reduce((a, grp) => a + grp.question.similarity, 0) / groups.length : null,
      'augment/augmented_groups': gdqa.augmented,
      'augment/informative_groups': gdqa.informative,
    };
    const inspector = groups.slice(0, this.config.inspectorGroups).map((grp, gi) => this.inspect(grp, cpuAdv.advantages.subarray(gi * G, (gi + 1) * G)));
    this.metrics.push(metrics);
    this.step++;
    return { metrics, inspector };
  }

  private inspect(grp: ScoredGroup, advantages: ArrayLike<number>): InspectorGroup {
    const r = grp.question.record;
    const mean = grp.rewards.reduce((a, x) => a + x, 0) / grp.rewards.length;
    const sd = Math.sqrt(grp.rewards.reduce((a, x) => a + (x - mean) ** 2, 0) / Math.max(grp.rewards.length - 1, 1));
    return {
      recordId: r.id, imageRef: r.image || null, anatomy: r.anatomy, question: r.question, options: r.options.slice(), goldIndex: r.goldIndex,
      similarity: grp.question.similarity, zeroStd: grp.zeroStd, rewardMean: mean, rewardStd: sd,
      variants: grp.group.variants.map((v) => ({ index: v.index, question: v.question, options: v.options.slice(), goldIndex: v.goldIndex, operators: v.operators.slice(), imageTransforms: v.imageTransforms.map((t) => ({ ...t })) })),
      augmentReason: grp.group.reason,
      completions: grp.completions.map((c, k) => ({
        text: grp.texts[k], variant: grp.group.rolloutVariant[k],
        rewards: Object.fromEntries(Object.entries(grp.perFunction).map(([name, v]) => [name, v[k]])),
        total: grp.rewards[k], advantage: advantages[k], length: c.tokens.length, clipped: c.finish === 'length',
      })),
    };
  }

  // ---------------------------------------------------------------------------------------------------
  // Evaluation and snapshots

  /** Accuracy on up to eval.maxQuestions held-out questions (a seeded choice; greedy unless configured). */
  async evaluate(maxQuestions = this.config.eval.maxQuestions): Promise<EvalResult> {
    const g = this.config.grpo, tok = this.tokenizer;
    const order = new SeededRandom(hashSeed(g.seed, 'eval')).shuffle(this.evalRecords.map((_, i) => i));
    const chosen = order.slice(0, maxQuestions).map((i) => this.evalRecords[i]);
    const correct: string[] = [];
    let extracted = 0;
    const byType: Record<string, TypeScore> = {};
    for (const r of chosen) (byType[r.questionType] ??= { questions: 0, correct: 0, extracted: 0 }).questions++;
    for (let s = 0; s < chosen.length; s += EVAL_BATCH) {
      const part = chosen.slice(s, s + EVAL_BATCH);
      const { images, imageOf } = this.imageBatch(part.map((r) => ({ ref: r.image, transforms: [] })));
      try {
        const out = await generate(this.policy, { images, imageOfPrompt: imageOf, prompts: part.map((r) => promptIds(tok, r)) }, {
          samplesPerPrompt: 1, greedy: this.config.eval.greedy, temperature: g.temperature, topK: g.topK, topP: g.topP,
          maxNewTokens: g.maxCompletionLength, stopTokens: stopTokens(tok), seed: hashSeed(g.seed, 'eval', s), padId: tok.padId,
        });
        out.forEach((c, i) => {
          const v = judgeCompletion(part[i], completionText(tok, c.tokens));
          const type = byType[part[i].questionType];
          if (v.correct) {
            correct.push(part[i].id);
            type.correct++;
          }
          if (v.extracted) {
            extracted++;
            type.extracted++;
          }
        });
      } finally {
        images.dispose();
      }
    }
    return {
      accuracy: chosen.length ? correct.length / chosen.length : 0, questions: chosen.length, extracted, correct,
      questionOnly: questionOnlyAccuracy(this.questionPrior, chosen), byType,
    };
  }

  /** Everything needed to continue exactly here (reads weights and moments back). */
  async snapshot(): Promise<TrainerSnapshot> {
    return {
      version: 1,
      runConfig: this.config,
      model: this.model,
      tokenizer: this.tokenizer.toJSON(),
      step: this.step,
      sftStep: this.sftStep,
      grpoStarted: this.grpoStarted,
      weights: await this.policy.params.readAll(),
      reference: this.reference ? await this.reference.params.readAll() : null,
      optimizer: await this.optimizer.readState(),
      zeroVariance: this.zeroVariance.toJSON(),
      curriculumControls: this.scheduler.controls,
      metrics: this.metrics.map((m) => structuredClone(m)),
      sftMetrics: this.sftMetrics.map((m) => ({ ...m })),
      rng: { kind: 'counter', seed: this.config.grpo.seed },
      evalBefore: this.evalBefore,
      similarityTable: this.similarityTable,
    };
  }

  dispose(): void {
    this.optimizer.dispose();
    this.policy.dispose();
    this.reference?.dispose();
  }
}
