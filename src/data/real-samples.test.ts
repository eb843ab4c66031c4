// The real samples in ../shared/data/real parse with the counts SOURCES.md gives, read as folders and as zips.
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { intakeFromPaths } from './intake/node-files.ts';
import { memoryFile } from './intake/intake-file.ts';
import { loadDataset } from './load.ts';

const real = fileURLToPath(new URL('../../../shared/data/real', import.meta.url));
const load = async (name: string) => loadDataset(await intakeFromPaths([`${real}/${name}`]));
const perFile = (records: { id: string }[]) => {
  const out: Record<string, number> = {};
  for (const r of records) {
    const f = r.id.slice(0, r.id.lastIndexOf('#'));
    out[f] = (out[f] ?? 0) + 1;
  }
  return out;
};

describe.skipIf(!existsSync(real))('real samples (SOURCES.md counts)', () => {
  it('anatomy-r1: 684 / 685 / 698 SGG-VQA records, leading spaces trimmed, labels = gold answers', async () => {
    const d = await load('anatomy-r1');
    expect(d.report.format).toBe('sgg-vqa');
    expect(perFile(d.records)).toEqual({ 'data/GRPO.json': 684, 'data/GRPO-ASC-Learning.json': 685, 'data/GRPO-GDQA.json': 698 });
    expect(d.report.rejected).toBe(0);
    expect(d.records.every((r) => r.options.length === 4 && r.anatomy === r.options[r.goldIndex])).toBe(true);
    expect(Object.keys(d.report.byAnatomy).sort()).toEqual(['Abdominal Wall Cavity', 'Cystic Plate', 'Gallbladder', 'Gut', 'Liver', 'Omentum']);
    expect(d.records.every((r) => r.image.startsWith('/CholecT45/data/VID'))).toBe(true);
    expect(d.report.repairsByKind['image path leading space trimmed']).toBeGreaterThan(0);
    expect(d.report.images.found).toBe(0); // the frames are not redistributable
    expect(d.report.images.missing).toBe(d.report.images.referenced);
    // The verbatim example of SOURCES.md.
    const ex = d.records.find((r) => r.id === 'data/GRPO.json#0')!;
    expect(ex).toMatchObject({ question: 'What anatomy is at the top-left of the frame ?', options: ['Liver', 'Cystic Plate', 'Gut', 'Abdominal Wall Cavity'], goldIndex: 3, anatomy: 'Abdominal Wall Cavity', questionType: 'location', image: '/CholecT45/data/VID35/002056.png' });
    // GDQA uses the alternative phrasing and the sft_instruction key.
    expect(d.records.some((r) => r.id.startsWith('data/GRPO-GDQA.json') && /^There is/.test(r.question))).toBe(true);
  });

  it('medvlm-r1: 599 records, 8 images found by file name', async () => {
    const d = await load('medvlm-r1');
    expect(d.report).toMatchObject({ format: 'medvlm-r1', records: 599, accepted: 599, rejected: 0 });
    expect(d.report.images.found).toBe(8);
    expect(d.report.images.matchedByName).toBe(8);
    expect(d.report.byModality).toEqual({ 'X-Ray': 202, CT: 199, MR: 198 });
    const knee = d.records.find((r) => r.image === 'images/knee031316.png')!;
    expect(knee).toMatchObject({ options: ['Chondral abnormality', 'Bone density loss', 'Synovial cyst formation', 'Ligament tear'], goldIndex: 0, modality: 'MR' });
    expect(d.images.get('images/knee031316.png')?.file?.path).toBe('images/successful_cases/knee031316.png');
  });

  it('med-r1: 2220 records, inline options split, question type from the file name', async () => {
    const d = await load('med-r1');
    expect(d.report).toMatchObject({ format: 'med-r1', records: 2220, accepted: 2220, rejected: 0, bySplit: { test: 2220 }, byQuestionType: { 'Anatomy Identification': 2220 } });
    expect(d.records[0]).toMatchObject({ image: 'Images/MIAS/mdb132.png', question: 'What content appears in this image?', options: ['Intestinal tissue', 'Muscle tissue', 'Liver tissue', 'Breast tissue'], goldIndex: 3, source: 'OmniMedVQA/MIAS' });
    // '(RPE)' must not start an option E.
    expect(d.records.some((r) => r.options.includes('Retinal pigmented epithelium (RPE)'))).toBe(true);
    // Options differing only in case are kept, with a warning.
    expect(d.report.warningCount).toBeGreaterThan(0);
    expect(d.report.warnings[0].message).toMatch(/differ only in case/);
  });

  it('vqa-rad: 2124 train + 279 test, 211 referenced images found + 1 unreferenced = 212, leakage reported', async () => {
    const d = await load('vqa-rad');
    expect(d.report).toMatchObject({ format: 'vqa-rad', records: 2403, accepted: 2403, rejected: 0, bySplit: { train: 2124, test: 279 } });
    expect(d.report.images).toMatchObject({ found: 211, missing: 0, undecodable: 0, unreferenced: 1, unreferencedList: ['data_RAD/images/synpic35356.jpg'] });
    expect(d.report.errors).toEqual([]); // answer_all_list.json is known, not "unread"
    const open = d.records.filter((r) => r.open).length;
    expect(open).toBeGreaterThan(900);
    expect(d.records.filter((r) => !r.open).every((r) => r.options.join() === 'Yes,No')).toBe(true);
    expect(d.report.byQuestionType).toHaveProperty('PRSE'); // typos kept verbatim
    expect(d.report.byAnatomy).toEqual({ Chest: expect.any(Number), Abdomen: expect.any(Number), Head: expect.any(Number) });
    expect(d.report.leakage.length).toBeGreaterThan(0); // VQA-RAD reuses images across its splits
    expect(d.report.repairsByKind['answer matched option X after normalising case']).toBeGreaterThan(0);
    expect(d.report.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('vqa-rad as a zip gives the same records and fingerprint as the folder', async () => {
    const folder = await load('vqa-rad');
    const entries: Record<string, Uint8Array> = {};
    for (const f of await intakeFromPaths([`${real}/vqa-rad`])) entries[f.path] = readFileSync(`${real}/vqa-rad/${f.path}`);
    const zipped = await loadDataset([memoryFile('vqa-rad.zip', zipSync(entries, { level: 1 }))]);
    expect(zipped.report.accepted).toBe(2403);
    expect(zipped.report.images.found).toBe(211);
    expect(zipped.report.fingerprint).toBe(folder.report.fingerprint);
  });
});
