// MedVLM-R1 training data: {image: [path], problem, solution (letter), question, options[], answer, dataset,
// subset (modality)}. Images are matched later by path suffix, then by file name (the release moved them).
import { normaliseImageRef } from '../intake/paths.ts';
import type { FormatReader } from './types.ts';
import { headHasKeys, isJsonPath, positionalId, readJsonRecords } from './read-json-records.ts';
import { checkOptions, letterIndex, matchAnswer, normaliseModality, parseOptionLines, splitFromPath } from './answers.ts';
import { optionLetter } from '../record.ts';
import { jsonType, preview } from '../validate/issues.ts';

export const medVlmR1Reader: FormatReader = {
  id: 'medvlm-r1',
  label: 'MedVLM-R1',
  detect(files, heads) {
    const hits = files.filter((f) => {
      const h = heads.get(f);
      return isJsonPath(f.path) && headHasKeys(h, ['problem', 'solution', 'options']);
    });
    if (!hits.length) return null;
    const full = hits.every((f) => headHasKeys(heads.get(f), ['subset']) || headHasKeys(heads.get(f), ['dataset']));
    return { format: 'medvlm-r1', confidence: full ? 0.92 : 0.8, files: hits, reason: `${hits.length} file(s) with problem/solution/options keys` };
  },
  parse(detection, config) {
    return readJsonRecords(detection.files, config, (obj, b, file) => {
      let options: string[] = [];
      if (Array.isArray(obj.options)) {
        if (obj.options.every((o) => typeof o === 'string')) options = obj.options as string[];
        else b.fail('options', `expected a list of strings, got ${preview(obj.options, 60)}`);
      } else if (obj.options !== undefined) {
        b.fail('options', `expected a list, got ${jsonType(obj.options)}`);
      }
      const problem = b.text(obj, 'problem', false);
      let question = b.text(obj, 'question', false);
      if (!options.length && problem) {
        options = parseOptionLines(problem.slice(problem.indexOf('\n') + 1));
        if (options.length) b.repair('options', 'options read from the problem text');
      }
      if (!question && problem) {
        question = problem.split('\n')[0].trim();
        if (question) b.repair('question', 'question read from the first line of problem');
      }
      if (!question) b.fail('question', 'missing, and problem has none');
      checkOptions(b, 'options', options);
      const solution = b.text(obj, 'solution', false);
      const answer = b.text(obj, 'answer', false);
      let gold = solution ? letterIndex(solution) : -1;
      if (solution && gold < 0) b.fail('solution', `${preview(solution)} is not an option letter`);
      if (gold >= options.length && options.length) {
        b.fail('solution', `letter ${optionLetter(gold)} but only ${options.length} options`);
        gold = -1;
      }
      if (answer && options.length) {
        const byText = matchAnswer(b, 'answer', answer, options);
        if (gold < 0 && !solution && byText >= 0) {
          gold = byText;
          b.repair('solution', `solution missing; letter ${optionLetter(gold)} taken from answer`);
        } else if (byText >= 0 && gold >= 0 && byText !== gold) {
          b.fail('solution', `letter ${optionLetter(gold)} is '${options[gold]}' but answer is ${preview(answer)}`);
        }
      } else if (!solution) b.fail('solution', 'missing, and no answer to take it from');
      const images = Array.isArray(obj.image) ? obj.image : obj.image === undefined ? [] : [obj.image];
      if (images.length > 1) b.repair('image', `only the first of ${images.length} images used`);
      let image = '';
      if (typeof images[0] === 'string') {
        const n = normaliseImageRef(images[0]);
        image = b.bounded('image', n.path);
        for (const r of n.repairs) b.repair('image', r);
      } else if (images.length) b.fail('image', `expected a path, got ${preview(images[0], 30)}`);
      const dataset = b.text(obj, 'dataset', false);
      return {
        id: positionalId(file, b.index),
        image,
        question,
        options,
        goldIndex: gold,
        answer: options[gold] ?? '',
        open: false,
        questionType: b.text(obj, 'question_type', false),
        modality: normaliseModality(b.text(obj, 'subset', false) || b.text(obj, 'modality', false)),
        anatomy: '',
        source: dataset || 'MedVLM-R1',
        split: splitFromPath(file.path, config.defaultSplit),
      };
    });
  },
};
