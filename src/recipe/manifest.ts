// manifest.json of an export: what ties the cluster run back to the lab run (run id, dataset fingerprint, a
// hash of the exported rows), the mapping that was applied and what could not be. Its shape is versioned so an
// importer can recognise it beside a metrics log.

import type { MappedSetting, TargetId, UnmappedOption } from './mapping.ts';
import type { ImageMode } from './data-files.ts';

export const RECIPE_MANIFEST_FORMAT = 'anatomy-r1-lab.recipe';
export const RECIPE_MANIFEST_VERSION = 1;

export interface RecipeManifest {
  format: typeof RECIPE_MANIFEST_FORMAT;
  version: number;
  target: TargetId;
  runId: string;
  runName: string;
  /** ISO time of the export. */
  exportedAt: string;
  dataset: { name: string; fingerprint: string };
  /** SHA-256 over the exported rows' (row id, question, options, gold) lines, in order. */
  rowsFingerprint: string;
  rows: number;
  steps: number;
  rowsPerStep: number;
  rolloutsPerRow: number;
  variantsPerQuestion: number;
  imageMode: ImageMode;
  /** Every target setting the export wrote, as dotted keys. */
  settings: MappedSetting[];
  /** Options of the run the target cannot express. */
  unmapped: UnmappedOption[];
  /** The lab configs the export was made from, so an imported result can carry them. */
  grpo: unknown;
  /** The curriculum and augmentation configs the rows were built with. */
  curriculum: unknown;
  augment: unknown;
  notes: string[];
  /** Each file of the export with its size in bytes (the manifest itself excluded). */
  files: { path: string; bytes: number }[];
}

/** What an importer needs from a manifest beside a log: who the run was, on which data, with which configs. */
export interface ManifestLink {
  target: TargetId;
  runId: string;
  runName: string;
  dataset: { name: string; fingerprint: string };
  grpo: Record<string, unknown>;
  curriculum: Record<string, unknown>;
  augment: Record<string, unknown>;
}

const TARGET_IDS: readonly string[] = ['easyr1', 'verl', 'trl'];

/** Untrusted manifest.json -> ManifestLink; errors name the file and the field. */
export function restoreManifestLink(untrusted: unknown, file = 'manifest.json'): ManifestLink {
  const fail = (field: string, what: string): never => {
    throw new Error(`${file}: field ${field}: ${what}`);
  };
  if (untrusted === null || typeof untrusted !== 'object' || Array.isArray(untrusted)) fail('(root)', 'expected a JSON object');
  const o = untrusted as Record<string, unknown>;
  if (o.format !== RECIPE_MANIFEST_FORMAT) fail('format', `expected '${RECIPE_MANIFEST_FORMAT}'`);
  if (o.version !== RECIPE_MANIFEST_VERSION) fail('version', `expected ${RECIPE_MANIFEST_VERSION}, got ${String(o.version).slice(0, 20)}`);
  const str = (v: unknown, field: string): string => (typeof v === 'string' && v.length <= 200 ? v : fail(field, 'expected a string of at most 200 characters'));
  const obj = (v: unknown, field: string): Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : fail(field, 'expected an object');
  const target = str(o.target, 'target');
  if (!TARGET_IDS.includes(target)) fail('target', `expected one of ${TARGET_IDS.join(', ')}`);
  const dataset = obj(o.dataset, 'dataset');
  return {
    target: target as TargetId,
    runId: str(o.runId, 'runId'),
    runName: str(o.runName, 'runName'),
    dataset: { name: str(dataset.name, 'dataset.name'), fingerprint: str(dataset.fingerprint, 'dataset.fingerprint') },
    grpo: obj(o.grpo, 'grpo'),
    curriculum: obj(o.curriculum, 'curriculum'),
    augment: obj(o.augment, 'augment'),
  };
}
