// The one record model every dataset format is read into. Parsers produce it, the curriculum, augmenter,
// trainer and evaluator consume it; nothing downstream knows which file format a question came from.

/** Where a record sits in the experiment. */
export type Split = 'train' | 'test' | 'val';

/** One VQA item, whatever its source format. */
export interface VqaRecord {
  /** Stable id, unique within its dataset (source id when the format has one, else file + index). */
  id: string;
  /** Image path relative to the dataset root as the source wrote it (normalised slashes, trimmed); '' when none. */
  image: string;
  /** The question alone, without instructions or inline options. */
  question: string;
  /** Option texts in display order; empty for open questions. */
  options: string[];
  /** Index of the gold option in `options`; -1 for open questions. */
  goldIndex: number;
  /** Gold answer text (the option text for multiple choice, the free answer for open questions). */
  answer: string;
  /** True when the question is open-ended (VQA-RAD OPEN, free-text answers). */
  open: boolean;
  /** Question type as the source names it (e.g. 'Anatomy Identification', 'ORGAN', 'location'); '' when unknown. */
  questionType: string;
  /** Imaging modality (e.g. 'CT', 'MR', 'X-Ray', 'endoscopy'); '' when unknown. */
  modality: string;
  /** Anatomy label of the gold answer where the source makes it known (SGG-VQA, AnatomySynth); '' otherwise. */
  anatomy: string;
  /** Source dataset name (e.g. 'OmniMedVQA/MIAS', 'SGG-VQA', 'VQA-RAD', 'AnatomySynth'). */
  source: string;
  /** Split the record belongs to. */
  split: Split;
}

/** A question with options and a gold one among them: what the trainer and the question-only baseline score. */
export function isMultipleChoice(r: VqaRecord): boolean {
  return !r.open && r.options.length >= 2 && r.goldIndex >= 0 && r.goldIndex < r.options.length;
}

/** Option letters in the order the lab writes them. */
export const OPTION_LETTERS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'] as const;

export function optionLetter(index: number): string {
  return OPTION_LETTERS[index] ?? String(index + 1);
}
