// AugmentConfig: every setting of Group Diversity Question Augmentation (which operators, how many variants
// per group, which questions get them) and restoreAugmentConfig for untrusted JSON.

import {
  asObject,
  ConfigError,
  readBoolean,
  readEnum,
  readNumber,
  readVersion,
} from '../curriculum/restore-fields.ts';
import { defaultImageTransformConfig, type ImageTransformConfig } from './image-transforms.ts';
import { restoreTemplateFamilies, type TemplateFamily } from './templates.ts';

export const AUGMENT_CONFIG_VERSION = 1;

/** all: every question's group is split across variants; zero-variance: only questions whose last group had
 * all-equal rewards (the paper's "difficult queries"), the first visit of a question is not augmented. */
export type AugmentApplyTo = 'all' | 'zero-variance';

/** same: a redraw keeps the question's S(q) (within tolerance); any: a random reachable S. */
export type RedrawTarget = 'same' | 'any';

export interface AugmentOperators {
  /** Reorder the options (each variant gets its own gold letter). Default true. */
  permute: boolean;
  /** Re-phrase the question from its template family. Default true. */
  paraphrase: boolean;
  /** Re-draw distractors from the pool of the question type. Default true. */
  redraw: boolean;
  /** Label-preserving image transforms. Default false (needs the trainer to apply them to pixels). */
  image: boolean;
}

export interface AugmentConfig {
  /** Schema version for migration. */
  version: number;
  /** Off = plain GRPO groups (G rollouts of the one question). */
  enabled: boolean;
  /** Seed of every augmentation draw; the same seed builds the same variants. */
  seed: number;
  /** Which questions are augmented. Default zero-variance. */
  applyTo: AugmentApplyTo;
  /** Variants K per augmented group; the G rollouts are split across them (G = 8 as 4 x 2). Default 4. */
  variants: number;
  /** Variant 0 is the question as given. Default true. */
  keepOriginal: boolean;
  /** Which operators build the other variants. */
  operators: AugmentOperators;
  /** What a redraw aims for. Default same. */
  redrawTarget: RedrawTarget;
  /** Accepted |S - target| for a redraw. Default 0.05. */
  redrawTolerance: number;
  /** Bounds of the image transforms. */
  image: ImageTransformConfig;
  /** Paraphrase families; null = the built-in ones. */
  templates: TemplateFamily[] | null;
}

export function defaultAugmentConfig(): AugmentConfig {
  return {
    version: AUGMENT_CONFIG_VERSION,
    enabled: false,
    seed: 0,
    applyTo: 'zero-variance',
    variants: 4,
    keepOriginal: true,
    operators: { permute: true, paraphrase: true, redraw: true, image: false },
    redrawTarget: 'same',
    redrawTolerance: 0.05,
    image: defaultImageTransformConfig(),
    templates: null,
  };
}

export function restoreAugmentConfig(untrusted: unknown, source = 'AugmentConfig'): AugmentConfig {
  const d = defaultAugmentConfig();
  const o = asObject(untrusted, source);
  readVersion(o, AUGMENT_CONFIG_VERSION, source);
  const ops = asObject(o.operators, `${source}.operators`);
  const img = asObject(o.image, `${source}.image`);
  const ow = `${source}.operators`;
  const iw = `${source}.image`;
  const config: AugmentConfig = {
    version: AUGMENT_CONFIG_VERSION,
    enabled: readBoolean(o, 'enabled', d.enabled, source),
    seed: readNumber(o, 'seed', d.seed, source, { integer: true, min: 0, max: 2 ** 32 - 1 }),
    applyTo: readEnum(o, 'applyTo', d.applyTo, ['all', 'zero-variance'] as const, source),
    variants: readNumber(o, 'variants', d.variants, source, { integer: true, min: 1, max: 64 }),
    keepOriginal: readBoolean(o, 'keepOriginal', d.keepOriginal, source),
    operators: {
      permute: readBoolean(ops, 'permute', d.operators.permute, ow),
      paraphrase: readBoolean(ops, 'paraphrase', d.operators.paraphrase, ow),
      redraw: readBoolean(ops, 'redraw', d.operators.redraw, ow),
      image: readBoolean(ops, 'image', d.operators.image, ow),
    },
    redrawTarget: readEnum(o, 'redrawTarget', d.redrawTarget, ['same', 'any'] as const, source),
    redrawTolerance: readNumber(o, 'redrawTolerance', d.redrawTolerance, source, { min: 0, max: 1 }),
    image: {
      maxShift: readNumber(img, 'maxShift', d.image.maxShift, iw, { min: 0, max: 0.5 }),
      minCropScale: readNumber(img, 'minCropScale', d.image.minCropScale, iw, { above: 0, max: 1 }),
      maxBrightness: readNumber(img, 'maxBrightness', d.image.maxBrightness, iw, { min: 0, max: 1 }),
      maxContrast: readNumber(img, 'maxContrast', d.image.maxContrast, iw, { min: 0, max: 1 }),
      flip: readBoolean(img, 'flip', d.image.flip, iw),
    },
    templates: o.templates === undefined || o.templates === null ? null : restoreTemplateFamilies(o.templates, `${source}.templates`),
  };
  if (config.enabled && !Object.values(config.operators).some(Boolean)) {
    throw new ConfigError(`${source}.operators: augmentation is on but every operator is off`);
  }
  return config;
}
