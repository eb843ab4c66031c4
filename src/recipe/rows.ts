// The exported training rows: the run's curriculum schedule and GDQA groups applied ahead of time, one row per
// (step, question, variant), in the order the trainer must read them. Each row keeps its S(q), curriculum
// stage and variant id so a result can be traced back to the lab's own view of the same question.

import type { VqaRecord } from '../data/record.ts';
import { optionLetter } from '../data/record.ts';
import type { GrpoConfig } from '../rl/config.ts';
import type { CurriculumConfig } from '../curriculum/config.ts';
import { CurriculumScheduler } from '../curriculum/scheduler.ts';
import { buildAnswerPools } from '../curriculum/redraw.ts';
import type { SimilaritySource } from '../curriculum/similarity.ts';
import type { AugmentConfig } from '../augment/config.ts';
import { buildQuestionGroup, splitRollouts } from '../augment/group-builder.ts';
import type { ImageTransform } from '../augment/image-transforms.ts';

/** Where the curriculum stands at a row's step: off, held at the easiest level, ramping, or at the natural level. */
export type CurriculumStage = 'off' | 'easiest' | 'ramp' | 'natural';

/**
 * One exported row: a VqaRecord as posed (variant question, options and gold) plus where it sits in the
 * recipe. This is the narrow shape the writers take (RecipeRecord = VqaRecord & {similarity, stage, variantId}).
 */
export interface RecipeRow extends VqaRecord {
  /** Unique row id: `<step>-<record id>-v<variant>`. */
  rowId: string;
  /** Id of the record the row was made from (record.id is kept as the source id too). */
  recordId: string;
  /** Trainer step whose batch holds the row (0-based). */
  step: number;
  /** Position in the exported order (0-based). */
  position: number;
  /** The GRPO group the row belongs to: rows sharing it pool their rollouts under GDQA. */
  groupId: string;
  /** Variant index inside the group; 0 = the question as scheduled. */
  variantId: number;
  /** Operators that made the variant ('original', 'paraphrase', 'redraw', 'permute', 'image'). */
  variantOperators: string[];
  /** Rollouts the lab would sample for this variant (G split across the variants). */
  rollouts: number;
  /** S(q) as posed; null when the options give no distractor. */
  similarity: number | null;
  /** S(q) of the options as released. */
  naturalSimilarity: number | null;
  /** Curriculum stage at the row's step. */
  stage: CurriculumStage;
  /** Pacing level at the row's step, 0 = easiest, 1 = natural (1 with the curriculum off). */
  pacingLevel: number;
  /** Image transforms the variant asks for (empty = the image as is). */
  imageTransforms: ImageTransform[];
}

export interface RowPlanOptions {
  grpo: GrpoConfig;
  curriculum: CurriculumConfig;
  augment: AugmentConfig;
  similarity: SimilaritySource;
}

export interface RowPlan {
  rows: RecipeRow[];
  /** Rows the trainer must take per step (B questions times K variants). */
  rowsPerStep: number;
  /** Rollouts per row the target samples (G / K, rounded down when K does not divide G). */
  rolloutsPerRow: number;
  /** Variants per question K (1 without augmentation). */
  variantsPerQuestion: number;
  /** Things the export had to decide or could not carry, in words. */
  notes: string[];
}

export function stageAt(enabled: boolean, level: number): CurriculumStage {
  if (!enabled) return 'off';
  if (level <= 0) return 'easiest';
  if (level >= 1) return 'natural';
  return 'ramp';
}

/**
 * Rows for `grpo.steps` steps of the run, step by step, in the curriculum's order, each question expanded into
 * its GDQA variants. Only multiple-choice train records are scheduled (the scheduler skips the rest).
 */
export function planRecipeRows(records: readonly VqaRecord[], opts: RowPlanOptions): RowPlan {
  const { grpo, curriculum, augment, similarity } = opts;
  const notes: string[] = [];
  const train = records.filter((r) => r.split === 'train');
  const pools = buildAnswerPools(train);
  const scheduler = new CurriculumScheduler(train, curriculum, similarity, { batchSize: grpo.batchSize, totalSteps: grpo.steps, pools });
  if (scheduler.skipped > 0) notes.push(`${scheduler.skipped} train records are not multiple choice and were left out`);
  if (scheduler.size === 0) throw new Error('no schedulable multiple-choice train record: nothing to export');

  const k = augment.enabled && augment.variants >= 2 ? Math.min(augment.variants, grpo.groupSize) : 1;
  if (augment.enabled && augment.applyTo === 'zero-variance') {
    notes.push("augment.applyTo 'zero-variance' depends on live rewards; the export augments every question (as 'all')");
  }
  const rolloutsPerRow = Math.floor(grpo.groupSize / k);
  if (grpo.groupSize % k !== 0) notes.push(`G = ${grpo.groupSize} does not split evenly over ${k} variants; each row gets ${rolloutsPerRow} rollouts`);
  const groupConfig: AugmentConfig = { ...augment, applyTo: 'all' };

  const rows: RecipeRow[] = [];
  let shortSteps = 0;
  for (let step = 0; step < grpo.steps; step++) {
    const batch = scheduler.batchAt(step);
    if (batch.length < grpo.batchSize) shortSteps++;
    const level = scheduler.levelAt(step);
    const stage = stageAt(curriculum.enabled, level);
    for (const q of batch) {
      const group = buildQuestionGroup(q.record, { config: groupConfig, groupSize: grpo.groupSize, step, pools, similarity });
      const split = splitRollouts(grpo.groupSize, group.variants.length);
      const groupId = `${step}-${q.record.id}`;
      for (const v of group.variants) {
        rows.push({
          ...q.record,
          question: v.question,
          options: v.options.slice(),
          goldIndex: v.goldIndex,
          answer: v.answer,
          rowId: `${groupId}-v${v.index}`,
          recordId: q.record.id,
          step,
          position: rows.length,
          groupId,
          variantId: v.index,
          variantOperators: v.operators.slice(),
          rollouts: split.filter((s) => s === v.index).length,
          // The unaugmented variant 0 is the question as the curriculum posed it (redrawn options included).
          similarity: v.index === 0 || v.similarity === null ? q.similarity : v.similarity,
          naturalSimilarity: q.naturalSimilarity,
          stage,
          pacingLevel: level,
          imageTransforms: v.imageTransforms.slice(),
        });
      }
    }
  }
  if (shortSteps > 0) notes.push(`${shortSteps} steps drew fewer than ${grpo.batchSize} questions (too few eligible questions)`);
  return { rows, rowsPerStep: grpo.batchSize * k, rolloutsPerRow, variantsPerQuestion: k, notes };
}

/** The gold option letter of a row ('B'). */
export function goldLetter(row: Pick<VqaRecord, 'goldIndex'>): string {
  return optionLetter(row.goldIndex);
}
