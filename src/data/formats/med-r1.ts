// Med-R1 splits: {image, problem ("Question? A)x, B)y, C)z, D)w"), solution ("<answer> D </answer>")}. The
// question type or modality comes from the file's place in Splits/question_type|modality/<split>/<Name>_<split>.json.
import { baseName } from '../intake/intake-file.ts';
import { normaliseImageRef } from '../intake/paths.ts';
import type { FormatReader } from './types.ts';
import { headHasKeys, isJsonPath, positionalId, readJsonRecords } from './read-json-records.ts';
import { checkOptions, letterIndex, normaliseModality, splitFromPath, splitInlineOptions } from './answers.ts';
import { optionLetter } from '../record.ts';
import { preview } from '../validate/issues.ts';

/** 'Anatomy Identification' from '.../question_type/test/Anatomy Identification_test.json'. */
function splitFileLabel(path: string): string {
  return baseName(path).replace(/\.jsonl?$/i, '').replace(/_(train|test|val)$/i, '').trim();
}

export const medR1Reader: FormatReader = {
  id: 'med-r1',
  label: 'Med-R1 splits',
  detect(files, heads) {
    const hits = files.filter((f) => {
      const h = heads.get(f);
      return isJsonPath(f.path) && headHasKeys(h, ['image', 'problem', 'solution']) && !headHasKeys(h, ['options']) && /<answer>/.test(h ?? '');
    });
    if (!hits.length) return null;
    const inSplits = hits.some((f) => /(^|\/)(question_type|modality)\//.test(f.path));
    return { format: 'med-r1', confidence: inSplits ? 0.95 : 0.85, files: hits, reason: `${hits.length} file(s) with image/problem/solution "<answer> X </answer>"` };
  },
  parse(detection, config) {
    return readJsonRecords(detection.files, config, (obj, b, file) => {
      const problem = b.text(obj, 'problem');
      const split = problem ? splitInlineOptions(problem) : null;
      if (problem && !split) b.fail('problem', `no inline options "A)..." in ${preview(problem)}`);
      const options = split?.options ?? [];
      if (split) checkOptions(b, 'problem', options);
      const solution = b.text(obj, 'solution');
      const gold = solution ? letterIndex(solution) : -1;
      if (solution && gold < 0) b.fail('solution', `${preview(solution)} is not "<answer> X </answer>" with an option letter`);
      else if (gold >= options.length && options.length) b.fail('solution', `letter ${optionLetter(gold)} but only ${options.length} options`);
      const rawImage = b.text(obj, 'image', false);
      const img = normaliseImageRef(rawImage);
      for (const r of img.repairs) b.repair('image', r);
      const byModality = /(^|\/)modality\//.test(file.path);
      const label = splitFileLabel(file.path);
      const m = /^Images\/([^/]+)\//.exec(img.path);
      return {
        id: positionalId(file, b.index),
        image: img.path,
        question: split?.question ?? '',
        options,
        goldIndex: gold,
        answer: options[gold] ?? '',
        open: false,
        questionType: byModality ? '' : label,
        modality: byModality ? normaliseModality(label) : '',
        anatomy: '',
        source: m ? `OmniMedVQA/${m[1]}` : 'Med-R1',
        split: splitFromPath(file.path, config.defaultSplit),
      };
    });
  },
};
