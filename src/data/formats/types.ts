// The contract every format reader keeps: detect() says how sure it is that a file tree holds its format,
// parse() turns the matching files into one outcome per source record (a record, its repairs, or its errors).
import type { IntakeFile } from '../intake/intake-file.ts';
import type { VqaRecord, Split } from '../record.ts';
import type { DataIssue, DataRepair } from '../validate/issues.ts';
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from '../intake/zip.ts';

export type FormatId =
  | 'omnimedvqa'
  | 'sgg-vqa'
  | 'med-r1'
  | 'medvlm-r1'
  | 'vqa-rad'
  | 'vlmevalkit-tsv'
  | 'generic-table'
  | 'parquet';

/** How datasets are read and what counts as too much. */
export interface ReadConfig {
  /** Largest JSON/CSV/TSV file read as text; typical 512 MiB. */
  maxTextFileBytes: number;
  /** Longest question, option or answer text accepted, in characters; typical 20,000. */
  maxFieldChars: number;
  /** Most options a multiple-choice question may have; typical 8 (A-H). */
  maxOptions: number;
  /** Split given to records whose source names none; typical 'train'. */
  defaultSplit: Split;
  /** Records shown in the format preview; typical 5. */
  previewRecords: number;
  /** Issues kept in a report (counts stay exact beyond it); typical 5,000. */
  maxIssues: number;
  /** Bytes of each candidate file read for format detection; typical 16 KiB. */
  headBytes: number;
  /** Bounds on .zip archives. */
  zip: ZipLimits;
}

export const DEFAULT_READ_CONFIG: ReadConfig = {
  maxTextFileBytes: 512 * 1024 ** 2,
  maxFieldChars: 20_000,
  maxOptions: 8,
  defaultSplit: 'train',
  previewRecords: 5,
  maxIssues: 5_000,
  headBytes: 16_384,
  zip: DEFAULT_ZIP_LIMITS,
};

/** One source record as read: the record when usable (possibly repaired), else the errors that rejected it. */
export interface RecordOutcome {
  file: string;
  /** 0-based index of the record within its file. */
  index: number;
  record: VqaRecord | null;
  repairs: DataRepair[];
  errors: DataIssue[];
  /** Oddities that do not stop the record (options that differ only in case). */
  warnings: DataIssue[];
}

export interface ParseOutput {
  outcomes: RecordOutcome[];
  /** Problems with whole files (malformed JSON, empty file, not UTF-8). */
  fileIssues: DataIssue[];
  /** Images carried inside data files (TSV base64, Parquet bytes), at the paths records refer to. */
  embeddedImages: IntakeFile[];
}

export interface Detection {
  format: FormatId;
  /** 0..1: how sure the reader is (1 = layout and keys both match). */
  confidence: number;
  /** The data files this format would read. */
  files: IntakeFile[];
  /** Files the format knows but reads no records from (VQA-RAD's answer_all_list.json), so none is reported unread. */
  auxiliary?: IntakeFile[];
  /** Why, in words (shown beside the preview). */
  reason: string;
}

export interface FormatReader {
  id: FormatId;
  /** Name shown to researchers. */
  label: string;
  detect(files: readonly IntakeFile[], heads: ReadonlyMap<IntakeFile, string>, config: ReadConfig): Detection | null;
  parse(detection: Detection, config: ReadConfig): Promise<ParseOutput>;
}
