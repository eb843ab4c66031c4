// The account of one intake: counts of accepted, repaired and rejected records, every error with file, record
// and field, the image census, duplicates and train/test leakage, and counts per split / type / modality.
import type { VqaRecord } from '../record.ts';
import type { DataIssue, DataRepair } from './issues.ts';
import type { ImageStatus } from '../images/check.ts';
import type { FormatId } from '../formats/types.ts';

export interface ImageCensus {
  /** Distinct image references in accepted records. */
  referenced: number;
  /** Referenced and present with a recognised image header. */
  found: number;
  /** Referenced but not in the tree. */
  missing: number;
  /** Present but not a readable image (text renamed to .png, truncated header). */
  undecodable: number;
  /** Found only by file name (folders differ from the reference). */
  matchedByName: number;
  /** Image files in the tree that no record refers to. */
  unreferenced: number;
  /** The missing references (first `maxIssues`). */
  missingList: string[];
  undecodableList: { path: string; reason: string }[];
  unreferencedList: string[];
}

export interface IntakeReport {
  format: FormatId | null;
  formatLabel: string;
  /** 0..1 detection confidence. */
  confidence: number;
  /** Why the format was chosen. */
  reason: string;
  /** Data files read. */
  files: string[];
  /** Source records seen (accepted + rejected). */
  records: number;
  /** Records kept, repaired ones included. */
  accepted: number;
  /** Accepted records that needed at least one repair. */
  repaired: number;
  rejected: number;
  /** Repair description (option letters folded) -> how many records got it. */
  repairsByKind: Record<string, number>;
  images: ImageCensus;
  /** Groups of accepted record ids with the same image, question, options and gold. */
  duplicates: string[][];
  /** Images used by both train and test records. */
  leakage: { image: string; train: string[]; test: string[] }[];
  bySplit: Record<string, number>;
  byQuestionType: Record<string, number>;
  byModality: Record<string, number>;
  byAnatomy: Record<string, number>;
  bySource: Record<string, number>;
  /** Every problem (first `maxIssues`); `errorCount` is exact. */
  errors: DataIssue[];
  errorCount: number;
  /** Oddities in accepted records (first `maxIssues`); `warningCount` is exact. */
  warnings: DataIssue[];
  warningCount: number;
  /** Every repair (first `maxIssues`). */
  repairs: DataRepair[];
  /** Dataset fingerprint (SHA-256 over record ids and image hashes). */
  fingerprint: string;
}

export function countBy(records: readonly VqaRecord[], key: (r: VqaRecord) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) {
    const k = key(r) || '(unknown)';
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** Folds the option letter out of a repair so 'matched option C' and 'matched option A' count together. */
export function repairKind(r: DataRepair): string {
  return r.message.replace(/\boption [A-H]\b/g, 'option X').replace(/letter [A-H]\b/g, 'letter X').replace(/number \S+ read/, 'number read');
}

export function findDuplicates(records: readonly VqaRecord[]): string[][] {
  const groups = new Map<string, string[]>();
  for (const r of records) {
    const key = JSON.stringify([r.image, r.question, r.options, r.goldIndex, r.answer]);
    const g = groups.get(key);
    if (g) g.push(r.id);
    else groups.set(key, [r.id]);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}

/**
 * Images shared by train and test records. Present images compare by content hash (the same frame under two
 * names is still leakage); missing ones by their reference.
 */
export function findLeakage(records: readonly VqaRecord[], images: ReadonlyMap<string, ImageStatus>): IntakeReport['leakage'] {
  const byKey = new Map<string, { image: string; train: string[]; test: string[] }>();
  for (const r of records) {
    if (!r.image || r.split === 'val') continue;
    const hash = images.get(r.image)?.hash;
    const key = hash ? `sha256:${hash}` : `ref:${r.image.replace(/^\/+/, '')}`;
    let g = byKey.get(key);
    if (!g) byKey.set(key, (g = { image: r.image, train: [], test: [] }));
    g[r.split].push(r.id);
  }
  return [...byKey.values()].filter((g) => g.train.length > 0 && g.test.length > 0);
}
