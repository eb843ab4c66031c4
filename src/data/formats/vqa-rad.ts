// VQA-RAD (MEVF release): data_RAD/{trainset,testset}.json records {qid, image_name, image_organ, answer,
// answer_type (OPEN | CLOSED), question_type, question, phrase_type} + data_RAD/images/*.jpg. Closed yes/no
// questions become two-option MCQs; other closed questions (their choices live only in the question text) and
// all open questions are kept as open. question_type is kept verbatim (typos such as PRSE included).
import { dirName } from '../intake/intake-file.ts';
import type { FormatReader } from './types.ts';
import { headHasKeys, isJsonPath, readJsonRecords } from './read-json-records.ts';
import { matchAnswer, splitFromPath } from './answers.ts';
import { preview } from '../validate/issues.ts';

const ORGANS: Record<string, string> = { HEAD: 'Head', CHEST: 'Chest', ABD: 'Abdomen' };
const YES_NO = ['Yes', 'No'];

export const vqaRadReader: FormatReader = {
  id: 'vqa-rad',
  label: 'VQA-RAD',
  detect(files, heads) {
    const hits = files.filter((f) => isJsonPath(f.path) && headHasKeys(heads.get(f), ['qid', 'image_name', 'answer_type']));
    if (!hits.length) return null;
    const layout = hits.some((f) => /(trainset|testset)\.json$/i.test(f.path));
    const auxiliary = files.filter((f) => /(^|\/)answer_all_list\.json$/i.test(f.path));
    return { format: 'vqa-rad', confidence: layout ? 0.98 : 0.85, files: hits, auxiliary, reason: `${hits.length} file(s) with qid/image_name/answer_type keys` };
  },
  parse(detection, config) {
    return readJsonRecords(detection.files, config, (obj, b, file) => {
      const split = splitFromPath(file.path, config.defaultSplit);
      const qid = obj.qid;
      if (!(typeof qid === 'number' || (typeof qid === 'string' && qid.trim() !== ''))) b.fail('qid', `expected a number or string, got ${preview(qid, 30)}`);
      const question = b.text(obj, 'question');
      const answer = b.text(obj, 'answer').trim();
      const rawType = b.text(obj, 'answer_type');
      const answerType = rawType.trim().toUpperCase();
      if (rawType && rawType !== rawType.trim()) b.repair('answer_type', `answer_type ${preview(rawType)} trimmed`);
      if (rawType && answerType !== 'OPEN' && answerType !== 'CLOSED') b.fail('answer_type', `${preview(rawType)} is neither OPEN nor CLOSED`);
      if (!answer && b.errors.length === 0) b.fail('answer', 'empty');
      const imageName = b.text(obj, 'image_name');
      if (imageName.includes('/') || imageName.includes('\\') || imageName.includes('..')) b.fail('image_name', `${preview(imageName)} must be a bare file name`);
      const organ = b.text(obj, 'image_organ', false).trim();
      const yesNo = /^(yes|no)$/i.test(answer);
      const closedMcq = answerType === 'CLOSED' && yesNo;
      const goldIndex = closedMcq ? matchAnswer(b, 'answer', answer, YES_NO) : -1;
      const dir = dirName(file.path);
      return {
        id: `${file.name.replace(/\.json$/i, '')}/${String(qid)}`,
        image: imageName ? `${dir ? dir + '/' : ''}images/${imageName.trim()}` : '',
        question,
        options: closedMcq ? [...YES_NO] : [],
        goldIndex,
        answer: closedMcq ? (YES_NO[goldIndex] ?? answer) : answer,
        open: !closedMcq,
        questionType: b.text(obj, 'question_type', false).trim(),
        modality: '',
        anatomy: ORGANS[organ.toUpperCase()] ?? organ,
        source: 'VQA-RAD',
        split,
      };
    });
  },
};
