// SGG-VQA anatomy MCQ as released with Anatomy-R1 (ms-swift style): {instruction, sft_prompt | sft_instruction,
// solution (letter), answer (option text), images (path, may start with a space)}. The question sits between
// "Question:\n" and "\nAnatomy Options:", options follow as "A. Liver" lines; the gold option is the anatomy label.
import { normaliseImageRef } from '../intake/paths.ts';
import type { FormatReader } from './types.ts';
import { headHasKeys, isJsonPath, positionalId, readJsonRecords } from './read-json-records.ts';
import { checkOptions, letterIndex, matchAnswer, parseOptionLines, splitFromPath } from './answers.ts';
import type { OutcomeBuilder } from './outcome.ts';
import { optionLetter } from '../record.ts';
import { preview } from '../validate/issues.ts';

/** SGG-VQA question templates fall into three kinds; the curriculum and eval tables count by them. */
export function sggQuestionType(question: string): string {
  if (/\bof the frame\b/i.test(question)) return 'location';
  if (/\b(below|above|left of|right of|left side|right side|under|on top of)\b/i.test(question)) return 'relation';
  return 'attribute';
}

/** Splits an instruction into question and options, or records why it cannot. */
export function splitSggInstruction(b: OutcomeBuilder, field: string, text: string): { question: string; options: string[] } {
  const q = /Question:\s*\n([\s\S]*?)\n\s*(?:Anatomy )?Options:\s*\n([\s\S]*)$/.exec(text);
  if (!q) {
    b.fail(field, 'no "Question:" ... "Anatomy Options:" block found');
    return { question: '', options: [] };
  }
  return { question: q[1].trim(), options: parseOptionLines(q[2]) };
}

export const sggVqaReader: FormatReader = {
  id: 'sgg-vqa',
  label: 'SGG-VQA anatomy (Anatomy-R1 release)',
  detect(files, heads) {
    const hits = files.filter((f) => {
      const h = heads.get(f);
      return isJsonPath(f.path) && h !== undefined && headHasKeys(h, ['solution', 'answer']) &&
        (headHasKeys(h, ['sft_prompt']) || headHasKeys(h, ['sft_instruction']) || (headHasKeys(h, ['instruction']) && /Options:/.test(h)));
    });
    if (!hits.length) return null;
    const anatomy = hits.some((f) => /Anatomy Options:/.test(heads.get(f) ?? ''));
    return {
      format: 'sgg-vqa',
      confidence: anatomy ? 0.95 : 0.75,
      files: hits,
      reason: `${hits.length} file(s) with instruction/${anatomy ? 'Anatomy Options' : 'sft_prompt'}/solution/answer keys`,
    };
  },
  parse(detection, config) {
    return readJsonRecords(detection.files, config, (obj, b, file) => {
      const inst = b.firstText(obj, ['instruction', 'sft_prompt', 'sft_instruction']);
      const errorsBefore = b.errors.length;
      const { question, options } = inst.value ? splitSggInstruction(b, inst.field, inst.value) : { question: '', options: [] };
      if (inst.value && b.errors.length === errorsBefore) checkOptions(b, inst.field, options);
      const solution = b.text(obj, 'solution', false);
      const answer = b.text(obj, 'answer', false);
      let gold = solution ? letterIndex(solution) : -1;
      if (solution && gold < 0) b.fail('solution', `${preview(solution)} is not an option letter`);
      if (gold >= options.length && options.length) {
        b.fail('solution', `letter ${optionLetter(gold)} but only ${options.length} options`);
        gold = -1;
      }
      if (answer && options.length) {
        if (gold >= 0) {
          const byText = matchAnswer(b, 'answer', answer, options);
          if (byText >= 0 && byText !== gold) {
            b.fail('solution', `letter ${optionLetter(gold)} is '${options[gold]}' but answer is ${preview(answer)}`);
          }
        } else if (!solution) {
          gold = matchAnswer(b, 'answer', answer, options);
          if (gold >= 0) b.repair('solution', `solution missing; letter ${optionLetter(gold)} taken from answer`);
        }
      } else if (!solution) b.fail('solution', 'missing, and no answer to take it from');
      const rawImage = obj.images ?? obj.image;
      let image = '';
      const imageField = obj.images !== undefined ? 'images' : 'image';
      const first = Array.isArray(rawImage) ? rawImage[0] : rawImage;
      if (Array.isArray(rawImage) && rawImage.length > 1) b.repair(imageField, `only the first of ${rawImage.length} images used`);
      if (typeof first === 'string') {
        const n = normaliseImageRef(first);
        image = b.bounded(imageField, n.path);
        for (const r of n.repairs) b.repair(imageField, r);
      } else if (first !== undefined && first !== null) b.fail(imageField, `expected a path, got ${preview(first, 30)}`);
      const goldText = gold >= 0 && gold < options.length ? options[gold] : '';
      return {
        id: positionalId(file, b.index),
        image,
        question,
        options,
        goldIndex: gold,
        answer: goldText,
        open: false,
        questionType: sggQuestionType(question),
        modality: 'Endoscopy',
        anatomy: goldText,
        source: 'SGG-VQA',
        split: splitFromPath(file.path, config.defaultSplit),
      };
    });
  },
};
