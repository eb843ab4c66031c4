// Each non-sample format read from a hand-made fixture whose expected records are written out here.
import { describe, it, expect } from 'vitest';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { memoryFile, type IntakeFile } from '../intake/intake-file.ts';
import { encodePng } from '../images/png-encode.ts';
import { loadDataset, previewDataset } from '../load.ts';
import { detectFormats } from './detect.ts';
import { DEFAULT_READ_CONFIG } from './types.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const file = (path: string, content: string | Uint8Array) => memoryFile(path, typeof content === 'string' ? enc(content) : content);
const png = (w: number, h: number) => encodePng({ width: w, height: h, data: new Uint8Array(w * h * 3).fill(90) });
const toBase64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));

function omniTree(): IntakeFile[] {
  const records = [
    { dataset: 'MIAS', question_id: 'MIAS_0001', question_type: 'Anatomy Identification', question: 'What is shown?', gt_answer: 'breast tissue.', image_path: 'Images/MIAS/a.png', option_A: 'Liver tissue', option_B: 'Breast tissue', option_C: 'Bone', option_D: 'Skin', modality_type: 'X-Ray' },
    // C and D absent; the known record that spells `modality`.
    { dataset: 'MIAS', question_id: 'MIAS_0002', question_type: 'Modality Recognition', question: 'Which modality?', gt_answer: 'X-Ray', image_path: 'Images/MIAS/b.png', option_A: 'CT', option_B: 'X-Ray', modality: 'X-Ray' },
    // gt_answer matches nothing: rejected, naming the field.
    { dataset: 'MIAS', question_id: 'MIAS_0003', question_type: 'Other', question: 'Q?', gt_answer: 'Kidney', image_path: 'Images/MIAS/a.png', option_A: 'CT', option_B: 'MR', modality_type: 'X-Ray' },
  ];
  return [
    file('OmniMedVQA/QA_information/Open-access/MIAS.json', JSON.stringify(records, null, 4)),
    file('OmniMedVQA/Images/MIAS/a.png', png(4, 3)),
    file('OmniMedVQA/Images/MIAS/b.png', png(2, 2)),
  ];
}

describe('format readers', () => {
  it('OmniMedVQA raw: absent C/D, `modality` fallback, gt_answer normalised, unmatched gold rejected', async () => {
    const d = await loadDataset(omniTree());
    expect(d.report).toMatchObject({ format: 'omnimedvqa', confidence: 0.98, records: 3, accepted: 2, repaired: 2, rejected: 1 });
    expect(d.records[0]).toMatchObject({ id: 'MIAS_0001', options: ['Liver tissue', 'Breast tissue', 'Bone', 'Skin'], goldIndex: 1, answer: 'Breast tissue', source: 'OmniMedVQA/MIAS', modality: 'X-Ray' });
    expect(d.records[1]).toMatchObject({ options: ['CT', 'X-Ray'], goldIndex: 1, modality: 'X-Ray' });
    expect(d.report.repairs.map((r) => r.message)).toEqual(['gt_answer matched option B after normalising case/trailing period', 'modality read from `modality`']);
    expect(d.report.errors).toEqual([{ file: 'OmniMedVQA/QA_information/Open-access/MIAS.json', record: 2, field: 'gt_answer', message: expect.stringMatching(/"Kidney" matches none/) }]);
    expect(d.report.images).toMatchObject({ found: 2, missing: 0 });
    expect(d.images.get('Images/MIAS/a.png')?.info).toEqual({ format: 'png', width: 4, height: 3 });
  });

  it('VLMEvalKit TSV: base64 images, index references, empty option letters', async () => {
    const img = toBase64(png(5, 5));
    const tsv = [
      'index\tquestion\tA\tB\tC\tD\tanswer\tcategory\timage\tsplit',
      `10\tWhich organ?\tLiver\tSpleen\tGut\t\tB\tAnatomy Identification\t${img}\ttest`,
      '11\tWhich side?\tLeft\tRight\t\t\tA\tOther\t10\ttest',
      '12\tBroken row\tx',
    ].join('\n');
    const d = await loadDataset([file('MedBench.tsv', tsv)]);
    expect(d.report).toMatchObject({ format: 'vlmevalkit-tsv', accepted: 2, rejected: 1, bySplit: { test: 2 } });
    expect(d.records[0]).toMatchObject({ id: '10', options: ['Liver', 'Spleen', 'Gut'], goldIndex: 1, answer: 'Spleen', questionType: 'Anatomy Identification' });
    expect(d.records[1].image).toBe(d.records[0].image); // '10' refers to row 10's image
    expect(d.report.images).toMatchObject({ found: 1, missing: 0 });
    expect(d.report.errors[0]).toMatchObject({ file: 'MedBench.tsv', record: 2, message: '3 cells, header has 10' });
  });

  it('generic JSONL and CSV with an image column', async () => {
    const jsonl = [
      JSON.stringify({ id: 'q1', image_path: 'img/a.png', question: 'Organ?', options: ['Liver', 'Kidney'], answer: 'kidney', modality: 'CT', split: 'train' }),
      '{"id": "q2", "image_path": "img/a.png", "question": "Free text?", "answer": "a cyst", "split": "test"}',
      '{not json',
    ].join('\n');
    const d = await loadDataset([file('set/data.jsonl', jsonl), file('set/img/a.png', png(3, 3))]);
    expect(d.report).toMatchObject({ format: 'generic-table', accepted: 2, rejected: 1, repaired: 1 });
    expect(d.records[0]).toMatchObject({ id: 'q1', goldIndex: 1, answer: 'Kidney', open: false, modality: 'CT' });
    expect(d.records[1]).toMatchObject({ id: 'q2', open: true, goldIndex: -1, answer: 'a cyst', options: [] });
    expect(d.report.errors[0]).toMatchObject({ file: 'set/data.jsonl', record: 2, message: expect.stringMatching(/not valid JSON/) });
    expect(d.report.leakage).toEqual([{ image: 'img/a.png', train: ['q1'], test: ['q2'] }]);

    const csv = 'image,question,option_a,option_b,answer\nx.png,"Which, exactly?",Yes,No,A\ny.png,"Multi\nline",Up,Down,Down\n';
    const c = await loadDataset([file('t.csv', csv)]);
    expect(c.records.map((r) => [r.question, r.goldIndex])).toEqual([['Which, exactly?', 0], ['Multi\nline', 1]]);
    expect(c.report.images).toMatchObject({ missing: 2, missingList: ['x.png', 'y.png'] });
  });

  it('Parquet with embedded image bytes (hyparquet)', async () => {
    const buf = parquetWriteBuffer({
      columnData: [
        { name: 'question', data: ['Which organ?', 'Which side?'], type: 'STRING' },
        { name: 'options', data: ['["Liver","Spleen"]', '["Left","Right"]'], type: 'STRING' },
        { name: 'answer', data: ['Spleen', 'Left'], type: 'STRING' },
        { name: 'image', data: [png(6, 4), enc('not an image at all')], type: 'BYTE_ARRAY' },
      ],
    });
    const d = await loadDataset([file('hf/train-00000.parquet', new Uint8Array(buf))]);
    expect(d.report).toMatchObject({ format: 'parquet', accepted: 2, bySplit: { train: 2 } });
    expect(d.records[0]).toMatchObject({ options: ['Liver', 'Spleen'], goldIndex: 1 });
    expect(d.report.images).toMatchObject({ found: 1, undecodable: 1 });
    expect(d.report.images.undecodableList[0].reason).toMatch(/starts with text 'not an image/);
  });

  it('detection ranks formats with confidences; the preview shows records as read', async () => {
    const ranked = await detectFormats(omniTree(), DEFAULT_READ_CONFIG);
    expect(ranked[0]).toMatchObject({ format: 'omnimedvqa', confidence: 0.98 });
    const p = await previewDataset(omniTree(), { ...DEFAULT_READ_CONFIG, previewRecords: 2 });
    expect(p.preview.map((o) => o.record?.id)).toEqual(['MIAS_0001', 'MIAS_0002']);
    expect(p.preview[0].repairs[0].message).toMatch(/gt_answer matched option B/);
  });
});
