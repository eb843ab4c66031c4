// The intake pipeline the Data panel's worker and `lab inspect` share: archives opened, the format detected,
// records parsed, checked and counted, images found, sniffed and hashed, duplicates and leakage reported, and
// the dataset fingerprinted. Nothing here throws on bad data; everything bad ends up in the report.
import { extensionOf, type IntakeFile } from './intake/intake-file.ts';
import { expandArchives } from './intake/zip.ts';
import type { VqaRecord } from './record.ts';
import { detectFormats, readerFor } from './formats/detect.ts';
import { DEFAULT_READ_CONFIG, type Detection, type FormatId, type ReadConfig, type RecordOutcome } from './formats/types.ts';
import { ImageIndex } from './images/resolve.ts';
import { checkImages, type ImageStatus } from './images/check.ts';
import { IMAGE_EXTENSIONS } from './images/sniff.ts';
import { datasetFingerprint } from './images/hash.ts';
import { issue, type DataIssue, type DataRepair } from './validate/issues.ts';
import { recordProblems } from './validate/record-schema.ts';
import { countBy, findDuplicates, findLeakage, repairKind, type IntakeReport } from './validate/report.ts';

export interface LoadOptions {
  /** Read as this format instead of the best detected one (the user overrode the guess). */
  format?: FormatId;
  /** Hash image bytes (fingerprint and content-based leakage); typical true. */
  hashImages?: boolean;
}

export interface LoadedDataset {
  /** The detection used; null when no format was recognised. */
  detection: Detection | null;
  /** Every reader's detection, best first. */
  candidates: Detection[];
  /** Accepted records, ids unique. */
  records: VqaRecord[];
  /** The first outcomes as the lab reads them (records, repairs, errors), for the preview. */
  preview: RecordOutcome[];
  report: IntakeReport;
  /** Image reference -> what was found for it. */
  images: Map<string, ImageStatus>;
  /** Every file of the tree after archives were opened, embedded images included. */
  files: IntakeFile[];
}

const DATA_EXTENSIONS = new Set(['json', 'jsonl', 'ndjson', 'csv', 'tsv', 'parquet']);

function emptyReport(): IntakeReport {
  return {
    format: null,
    formatLabel: '',
    confidence: 0,
    reason: '',
    files: [],
    records: 0,
    accepted: 0,
    repaired: 0,
    rejected: 0,
    repairsByKind: {},
    images: { referenced: 0, found: 0, missing: 0, undecodable: 0, matchedByName: 0, unreferenced: 0, missingList: [], undecodableList: [], unreferencedList: [] },
    duplicates: [],
    leakage: [],
    bySplit: {},
    byQuestionType: {},
    byModality: {},
    byAnatomy: {},
    bySource: {},
    errors: [],
    errorCount: 0,
    warnings: [],
    warningCount: 0,
    repairs: [],
    fingerprint: '',
  };
}

/** Reads a dropped tree (files, folders, zips) into records and a report. */
export async function loadDataset(input: readonly IntakeFile[], config: ReadConfig = DEFAULT_READ_CONFIG, options: LoadOptions = {}): Promise<LoadedDataset> {
  const report = emptyReport();
  const errors: DataIssue[] = [];
  const warnings: DataIssue[] = [];
  const { files, problems } = await expandArchives(input, config.zip);
  errors.push(...problems);
  const candidates = await detectFormats(files, config);
  const detection = options.format ? (candidates.find((c) => c.format === options.format) ?? null) : (candidates[0] ?? null);

  const claimed = new Set([...(detection?.files ?? []), ...(detection?.auxiliary ?? [])]);
  for (const f of files) {
    if (claimed.has(f) || !DATA_EXTENSIONS.has(extensionOf(f.path))) continue;
    errors.push(issue(f.path, null, '', f.size === 0 ? 'empty file; not read' : `not read: ${detection ? `not ${readerFor(detection.format).label} data` : 'no known dataset format recognised'}`));
  }
  if (!detection) {
    if (!files.length) errors.push(issue('', null, '', 'no files'));
    report.errors = errors.slice(0, config.maxIssues);
    report.errorCount = errors.length;
    return { detection: null, candidates, records: [], preview: [], report, images: new Map(), files };
  }

  const reader = readerFor(detection.format);
  const parsed = await reader.parse(detection, config);
  errors.push(...parsed.fileIssues);
  const records: VqaRecord[] = [];
  const repairs: DataRepair[] = [];
  const seenIds = new Map<string, number>();
  let repaired = 0;
  for (const o of parsed.outcomes) {
    if (o.record) {
      for (const p of recordProblems(o.record)) o.errors.push(issue(o.file, o.index, p.field, p.message));
      if (o.errors.length) o.record = null;
    }
    if (!o.record) {
      errors.push(...o.errors);
      report.rejected++;
      continue;
    }
    const n = seenIds.get(o.record.id) ?? 0;
    seenIds.set(o.record.id, n + 1);
    if (n > 0) {
      const renamed = `${o.record.id}~${n + 1}`;
      o.repairs.push({ file: o.file, record: o.index, field: 'id', message: `duplicate id ${o.record.id} renamed ${renamed}` });
      o.record = { ...o.record, id: renamed };
    }
    warnings.push(...o.warnings);
    if (o.repairs.length) repaired++;
    repairs.push(...o.repairs);
    records.push(o.record);
  }

  const treeImages = files.filter((f) => !claimed.has(f) && !DATA_EXTENSIONS.has(extensionOf(f.path)));
  const index = new ImageIndex([...treeImages, ...parsed.embeddedImages]);
  const refs = new Set(records.map((r) => r.image).filter(Boolean));
  const images = await checkImages(refs, index, options.hashImages ?? true);
  const census = report.images;
  const used = new Set<IntakeFile>();
  for (const s of images.values()) {
    census.referenced++;
    if (!s.file) {
      census.missing++;
      if (census.missingList.length < config.maxIssues) census.missingList.push(s.ref);
      continue;
    }
    used.add(s.file);
    if (s.byNameOnly) census.matchedByName++;
    if (s.info) census.found++;
    else {
      census.undecodable++;
      if (census.undecodableList.length < config.maxIssues) census.undecodableList.push({ path: s.file.path, reason: s.problem ?? 'not an image' });
    }
  }
  for (const f of treeImages) {
    if (used.has(f) || !IMAGE_EXTENSIONS.has(extensionOf(f.path))) continue;
    census.unreferenced++;
    if (census.unreferencedList.length < config.maxIssues) census.unreferencedList.push(f.path);
  }

  const hashes = new Map<string, string>();
  for (const [ref, s] of images) if (s.hash) hashes.set(ref, s.hash);
  Object.assign(report, {
    format: detection.format,
    formatLabel: reader.label,
    confidence: detection.confidence,
    reason: detection.reason,
    files: detection.files.map((f) => f.path),
    records: parsed.outcomes.length,
    accepted: records.length,
    repaired,
    repairsByKind: countRepairs(repairs),
    duplicates: findDuplicates(records).slice(0, config.maxIssues),
    leakage: findLeakage(records, images).slice(0, config.maxIssues),
    bySplit: countBy(records, (r) => r.split),
    byQuestionType: countBy(records, (r) => r.questionType),
    byModality: countBy(records, (r) => r.modality),
    byAnatomy: countBy(records, (r) => r.anatomy),
    bySource: countBy(records, (r) => r.source),
    errors: errors.slice(0, config.maxIssues),
    errorCount: errors.length,
    warnings: warnings.slice(0, config.maxIssues),
    warningCount: warnings.length,
    repairs: repairs.slice(0, config.maxIssues),
    fingerprint: await datasetFingerprint(records, hashes),
  });
  return { detection, candidates, records, preview: parsed.outcomes.slice(0, config.previewRecords), report, images, files: [...files, ...parsed.embeddedImages] };
}

function countRepairs(repairs: readonly DataRepair[]): Record<string, number> {
  // Count records, not repairs: a record with two leading-space paths is one record repaired that way.
  const seen = new Set<string>();
  const out: Record<string, number> = {};
  for (const r of repairs) {
    const kind = repairKind(r);
    const key = `${r.file}#${r.record}#${kind}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out[kind] = (out[kind] ?? 0) + 1;
  }
  return out;
}

/** Detection and the first records only: what the drop zone shows before the user confirms the import. */
export async function previewDataset(input: readonly IntakeFile[], config: ReadConfig = DEFAULT_READ_CONFIG): Promise<{
  candidates: Detection[];
  preview: RecordOutcome[];
  problems: DataIssue[];
}> {
  const { files, problems } = await expandArchives(input, config.zip);
  const candidates = await detectFormats(files, config);
  if (!candidates.length) return { candidates, preview: [], problems };
  const parsed = await readerFor(candidates[0].format).parse(candidates[0], config);
  return { candidates, preview: parsed.outcomes.slice(0, config.previewRecords), problems: [...problems, ...parsed.fileIssues] };
}
