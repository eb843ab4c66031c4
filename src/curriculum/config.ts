// CurriculumConfig: every setting of the Anatomical Similarity Curriculum (which similarity, which mode,
// which pacing, the levels it paces between) and restoreCurriculumConfig for untrusted JSON.

import { defaultPacingConfig, PACING_KINDS, type PacingConfig } from './pacing.ts';
import {
  asObject,
  ConfigError,
  readBoolean,
  readEnum,
  readNumber,
  readString,
  readVersion,
  type Untrusted,
} from './restore-fields.ts';

export const CURRICULUM_CONFIG_VERSION = 1;

/** reorder: easy questions first, options as they are; redraw: distractors chosen to hit the pacing's target
 * S; both: the two together. */
export type CurriculumMode = 'reorder' | 'redraw' | 'both';
export const CURRICULUM_MODES: readonly CurriculumMode[] = ['reorder', 'redraw', 'both'];

export interface CurriculumConfig {
  /** Schema version for migration. */
  version: number;
  /** Off = plain GRPO sampling (uniform, seeded), S(q) is still measured. Default true when ASCL is chosen. */
  enabled: boolean;
  /** Seed of question draws and distractor redraws; same seed, same curriculum. */
  seed: number;
  /** Similarity source id: 'lexicon' (built in), 'policy' (its embeddings) or 'onnx:<name>'. Default lexicon. */
  similarity: string;
  /** Default both: the paper's low early S(q) needs redrawn distractors, the reorder adds easy-first order. */
  mode: CurriculumMode;
  /** Pacing curve from the easiest to the natural level. */
  pacing: PacingConfig;
  /** Target S at pacing 0; null = each question's own easiest reachable S (per-question interpolation). */
  easiestLevel: number | null;
  /** Target S at pacing 1; null = each question's own natural S (its options as released). */
  naturalLevel: number | null;
  /** reorder: share of the easiest questions (by S(q)) available at pacing 0; all are available at 1. Default 0.25. */
  startFraction: number;
  /** redraw: accepted |S - target|. Default 0.03. */
  tolerance: number;
  /** redraw: local-search swaps tried per question before taking the closest set found. Default 200. */
  redrawIterations: number;
}

export function defaultCurriculumConfig(): CurriculumConfig {
  return {
    version: CURRICULUM_CONFIG_VERSION,
    enabled: true,
    seed: 0,
    similarity: 'lexicon',
    mode: 'both',
    pacing: defaultPacingConfig(),
    easiestLevel: null,
    naturalLevel: null,
    startFraction: 0.25,
    tolerance: 0.03,
    redrawIterations: 200,
  };
}

function readLevel(o: Untrusted, key: string, fallback: number | null, where: string): number | null {
  if (o[key] === null) return null;
  if (o[key] === undefined) return fallback;
  return readNumber(o, key, 0, where, { min: 0, max: 1 });
}

export function restoreCurriculumConfig(untrusted: unknown, source = 'CurriculumConfig'): CurriculumConfig {
  const d = defaultCurriculumConfig();
  const o = asObject(untrusted, source);
  readVersion(o, CURRICULUM_CONFIG_VERSION, source);
  const p = asObject(o.pacing, `${source}.pacing`);
  const pw = `${source}.pacing`;
  const pacing: PacingConfig = {
    kind: readEnum(p, 'kind', d.pacing.kind, PACING_KINDS, pw),
    holdUntil: readNumber(p, 'holdUntil', d.pacing.holdUntil, pw, { min: 0, max: 1 }),
    rampUntil: readNumber(p, 'rampUntil', d.pacing.rampUntil, pw, { min: 0, max: 1 }),
    plateauWidth: readNumber(p, 'plateauWidth', d.pacing.plateauWidth, pw, { min: 0, max: 1 }),
    stages: readNumber(p, 'stages', d.pacing.stages, pw, { integer: true, min: 1, max: 100 }),
    exponent: readNumber(p, 'exponent', d.pacing.exponent, pw, { above: 0, max: 10 }),
  };
  if (pacing.rampUntil < pacing.holdUntil) {
    throw new ConfigError(`${pw}.rampUntil: must be >= holdUntil (${pacing.holdUntil}), got ${pacing.rampUntil}`);
  }
  const similarity = readString(o, 'similarity', d.similarity, source, 200);
  if (!/^(lexicon|policy|onnx:.+)$/.test(similarity)) {
    throw new ConfigError(`${source}.similarity: expected lexicon | policy | onnx:<name>, got ${JSON.stringify(similarity)}`);
  }
  const config: CurriculumConfig = {
    version: CURRICULUM_CONFIG_VERSION,
    enabled: readBoolean(o, 'enabled', d.enabled, source),
    seed: readNumber(o, 'seed', d.seed, source, { integer: true, min: 0, max: 2 ** 32 - 1 }),
    similarity,
    mode: readEnum(o, 'mode', d.mode, CURRICULUM_MODES, source),
    pacing,
    easiestLevel: readLevel(o, 'easiestLevel', d.easiestLevel, source),
    naturalLevel: readLevel(o, 'naturalLevel', d.naturalLevel, source),
    startFraction: readNumber(o, 'startFraction', d.startFraction, source, { above: 0, max: 1 }),
    tolerance: readNumber(o, 'tolerance', d.tolerance, source, { min: 0, max: 1 }),
    redrawIterations: readNumber(o, 'redrawIterations', d.redrawIterations, source, { integer: true, min: 0, max: 100_000 }),
  };
  return config;
}
