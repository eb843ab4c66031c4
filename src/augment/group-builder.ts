// Builds one GRPO group under GDQA: K variants of a question (paraphrase, redrawn distractors, permuted
// options with their own gold letter, image transforms) and the assignment of the G rollouts to them
// (G = 8 as 4 x 2). Rewards score each rollout against its own variant; advantages pool over the whole group
// (rl/advantages.ts pooledGroupAdvantages). Seeded by (seed, step, question), so a resumed run rebuilds it.

import type { VqaRecord } from '../data/record.ts';
import { optionSetSimilarity } from '../curriculum/difficulty.ts';
import { answerPoolKey } from '../curriculum/redraw.ts';
import { hashSeed, SeededRandom } from '../curriculum/seeded-random.ts';
import type { SimilaritySource } from '../curriculum/similarity.ts';
import type { AugmentConfig } from './config.ts';
import { sampleImageTransforms, type ImageTransform } from './image-transforms.ts';
import { paraphraseQuestion, permuteOptions, redrawOptions, type OptionSet } from './operators.ts';
import { BUILT_IN_TEMPLATE_FAMILIES } from './templates.ts';

export type OperatorName = 'original' | 'paraphrase' | 'redraw' | 'permute' | 'image';

export interface QuestionVariant {
  /** Position in the group's variant list. */
  index: number;
  question: string;
  options: string[];
  /** This variant's gold index (its own gold letter). */
  goldIndex: number;
  /** The gold option text: the same in every variant. */
  answer: string;
  /** To apply to the question's image before encoding (empty = the image as is). */
  imageTransforms: ImageTransform[];
  /** Operators that made it from the original. */
  operators: OperatorName[];
  /** S(q) of the variant's options; null without a similarity source. */
  similarity: number | null;
}

export interface QuestionGroup {
  recordId: string;
  variants: QuestionVariant[];
  /** Variant index of each rollout. // (G,) */
  rolloutVariant: number[];
  /** More than the original question is in play. */
  augmented: boolean;
  /** Why the group is (not) augmented: config off, applied to all, last group zero-variance, or not. */
  reason: 'off' | 'all' | 'zero-variance' | 'informative-last-time' | 'first-visit';
}

export interface GroupContext {
  config: AugmentConfig;
  /** G. */
  groupSize: number;
  /** Training step (part of the seed). */
  step: number;
  /** Distractor pools by answerPoolKey (curriculum/redraw buildAnswerPools); redraw is skipped without. */
  pools?: Map<string, string[]>;
  /** Similarity for redraw and the variants' S(q); redraw is skipped without. */
  similarity?: SimilaritySource;
  /** Whether this question's previous group had all-equal rewards; undefined on its first visit. */
  lastGroupZeroStd?: boolean;
}

/** Splits G rollouts across K variants in contiguous runs, the first G mod K variants one larger. */
export function splitRollouts(groupSize: number, variants: number): number[] {
  const k = Math.max(1, Math.min(variants, groupSize));
  const out: number[] = [];
  for (let v = 0; v < k; v++) {
    const n = Math.floor(groupSize / k) + (v < groupSize % k ? 1 : 0);
    for (let i = 0; i < n; i++) out.push(v);
  }
  return out;
}

/** The record as one variant poses it (question, options, gold), for prompts and rewards. */
export function variantRecord(record: VqaRecord, variant: QuestionVariant): VqaRecord {
  return { ...record, question: variant.question, options: variant.options.slice(), goldIndex: variant.goldIndex, answer: variant.answer };
}

function original(record: VqaRecord, similarity: SimilaritySource | undefined): QuestionVariant {
  return {
    index: 0,
    question: record.question,
    options: record.options.slice(),
    goldIndex: record.goldIndex,
    answer: record.options[record.goldIndex],
    imageTransforms: [],
    operators: ['original'],
    similarity: similarity ? optionSetSimilarity(record.options, record.goldIndex, similarity) : null,
  };
}

function signature(v: QuestionVariant): string {
  return JSON.stringify([v.question, v.options, v.imageTransforms]);
}

function decide(ctx: GroupContext, record: VqaRecord): QuestionGroup['reason'] {
  if (!ctx.config.enabled || record.open || record.goldIndex < 0 || record.options.length < 2) return 'off';
  if (ctx.config.applyTo === 'all') return 'all';
  if (ctx.lastGroupZeroStd === undefined) return 'first-visit';
  return ctx.lastGroupZeroStd ? 'zero-variance' : 'informative-last-time';
}

const MAX_ATTEMPTS = 8;

export function buildQuestionGroup(record: VqaRecord, ctx: GroupContext): QuestionGroup {
  const { config } = ctx;
  const reason = decide(ctx, record);
  const base = original(record, ctx.similarity);
  const augmented = reason === 'all' || reason === 'zero-variance';
  if (!augmented || config.variants < 2) {
    return { recordId: record.id, variants: [base], rolloutVariant: new Array(ctx.groupSize).fill(0), augmented: false, reason };
  }
  const k = Math.min(config.variants, ctx.groupSize);
  const families = config.templates ?? BUILT_IN_TEMPLATE_FAMILIES;
  const pool = ctx.pools?.get(answerPoolKey(record));
  const variants: QuestionVariant[] = config.keepOriginal ? [base] : [];
  const seen = new Set(variants.map(signature));
  const usedQuestions = new Set([record.question]);
  const usedGold = new Set(variants.map((v) => v.goldIndex));

  for (let v = variants.length; v < k; v++) {
    let made: QuestionVariant | null = null;
    for (let attempt = 0; attempt < MAX_ATTEMPTS && !made; attempt++) {
      const rng = new SeededRandom(hashSeed(config.seed, 'gdqa', ctx.step, record.id, v, attempt));
      const operators: OperatorName[] = [];
      let question = record.question;
      let set: OptionSet = { options: record.options.slice(), goldIndex: record.goldIndex };
      let similarity = base.similarity;
      if (config.operators.paraphrase) {
        const p = paraphraseQuestion(record.question, record.questionType, families, rng, usedQuestions);
        if (p !== null) {
          question = p;
          operators.push('paraphrase');
        }
      }
      if (config.operators.redraw && pool && ctx.similarity) {
        const r = redrawOptions(set, pool, ctx.similarity, config.redrawTarget, config.redrawTolerance, rng);
        if (r) {
          set = { options: r.options, goldIndex: r.goldIndex };
          similarity = r.similarity;
          operators.push('redraw');
        }
      }
      if (config.operators.permute) {
        // Prefer a gold letter no earlier variant has, so the rollouts must read the options.
        const free = set.options.map((_, i) => i).filter((i) => !usedGold.has(i));
        set = permuteOptions(set, free.length > 0 ? rng.pick(free) : null, rng);
        operators.push('permute');
      }
      const imageTransforms = config.operators.image ? sampleImageTransforms(config.image, rng) : [];
      if (imageTransforms.length > 0) operators.push('image');
      const candidate: QuestionVariant = {
        index: variants.length,
        question,
        options: set.options,
        goldIndex: set.goldIndex,
        answer: base.answer,
        imageTransforms,
        operators,
        similarity,
      };
      if (!seen.has(signature(candidate)) || attempt === MAX_ATTEMPTS - 1) made = candidate;
    }
    // The last attempt is taken even when it repeats a variant: a tiny option set may have fewer than K forms.
    seen.add(signature(made!));
    usedQuestions.add(made!.question);
    usedGold.add(made!.goldIndex);
    variants.push(made!);
  }
  return { recordId: record.id, variants, rolloutVariant: splitRollouts(ctx.groupSize, variants.length), augmented: true, reason };
}

/** Per-question memory of whether its last group had zero reward variance (saved with checkpoints). */
export class ZeroVarianceMemory {
  private readonly last = new Map<string, boolean>();

  record(recordId: string, zeroStd: boolean): void {
    this.last.set(recordId, zeroStd);
  }

  lastZeroStd(recordId: string): boolean | undefined {
    return this.last.get(recordId);
  }

  toJSON(): [string, boolean][] {
    return [...this.last];
  }

  static restore(untrusted: unknown, source = 'zeroVarianceMemory'): ZeroVarianceMemory {
    const m = new ZeroVarianceMemory();
    if (!Array.isArray(untrusted)) throw new Error(`${source}: expected a list of [id, boolean] pairs`);
    untrusted.forEach((pair, i) => {
      if (!Array.isArray(pair) || typeof pair[0] !== 'string' || typeof pair[1] !== 'boolean') {
        throw new Error(`${source}[${i}]: expected [id, boolean]`);
      }
      m.record(pair[0], pair[1]);
    });
    return m;
  }
}

/**
 * What augmentation did for a group, for the Augmentation panel's counter: 'rescued' when the question's last
 * group had zero variance and the augmented one does not.
 */
export function augmentationOutcome(group: QuestionGroup, zeroStdNow: boolean): 'rescued' | 'still-zero' | 'informative' | 'zero' {
  if (group.reason === 'zero-variance') return zeroStdNow ? 'still-zero' : 'rescued';
  return zeroStdNow ? 'zero' : 'informative';
}
