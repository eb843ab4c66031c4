// OmniMedVQA raw: QA_information/{Open,Restricted}-access/<Dataset>.json lists of {dataset, question_id,
// question_type, question, gt_answer, image_path, option_A..option_D (C and D may be absent), modality_type}
// + Images/<Dataset>/... One known record spells `modality` for `modality_type`; gt_answer equals one option
// after normalising case, whitespace and trailing periods.
import { normaliseImageRef } from '../intake/paths.ts';
import type { FormatReader } from './types.ts';
import { headHasKeys, isJsonPath, positionalId, readJsonRecords } from './read-json-records.ts';
import { checkOptions, matchAnswer, normaliseModality, splitFromPath } from './answers.ts';
import { OPTION_LETTERS } from '../record.ts';

export const omniMedVqaReader: FormatReader = {
  id: 'omnimedvqa',
  label: 'OmniMedVQA (raw QA_information)',
  detect(files, heads) {
    const hits = files.filter((f) => isJsonPath(f.path) && headHasKeys(heads.get(f), ['question_id', 'gt_answer', 'option_A']));
    if (!hits.length) return null;
    const layout = hits.some((f) => /(^|\/)QA_information\/(Open|Restricted)-access\//.test(f.path));
    return { format: 'omnimedvqa', confidence: layout ? 0.98 : 0.9, files: hits, reason: `${hits.length} file(s) with question_id/gt_answer/option_A keys` };
  },
  parse(detection, config) {
    return readJsonRecords(detection.files, config, (obj, b, file) => {
      const options: string[] = [];
      let gap = '';
      for (const letter of OPTION_LETTERS) {
        const key = `option_${letter}`;
        if (obj[key] === undefined || obj[key] === null || obj[key] === '') {
          gap = gap || key;
          continue;
        }
        if (gap) b.fail(key, `present although ${gap} is absent`);
        options.push(b.text(obj, key).trim());
      }
      checkOptions(b, 'option_A', options);
      const gt = b.text(obj, 'gt_answer');
      const gold = gt && options.length ? matchAnswer(b, 'gt_answer', gt, options) : -1;
      let modality = b.text(obj, 'modality_type', false);
      if (!modality && typeof obj.modality === 'string') {
        modality = b.text(obj, 'modality');
        b.repair('modality_type', 'modality read from `modality`');
      }
      const img = normaliseImageRef(b.text(obj, 'image_path'));
      for (const r of img.repairs) b.repair('image_path', r);
      const qid = obj.question_id;
      const dataset = b.text(obj, 'dataset', false).trim();
      return {
        id: typeof qid === 'string' || typeof qid === 'number' ? String(qid) : positionalId(file, b.index),
        image: img.path,
        question: b.text(obj, 'question').trim(),
        options,
        goldIndex: gold,
        answer: options[gold] ?? '',
        open: false,
        questionType: b.text(obj, 'question_type', false).trim(),
        modality: normaliseModality(modality),
        anatomy: '',
        source: dataset ? `OmniMedVQA/${dataset}` : 'OmniMedVQA',
        split: splitFromPath(file.path, config.defaultSplit),
      };
    });
  },
};
