import { describe, it, expect } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strToU8, zipSync } from 'fflate';
import { inspect } from './inspect.ts';
import { parseArgs, UsageError } from '../command.ts';

const real = fileURLToPath(new URL('../../../shared/data/real', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'lab-inspect-'));
const run = (...argv: string[]) => inspect(parseArgs(argv));

async function usageError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('no UsageError');
}

interface InspectJson {
  format: string;
  records: number;
  accepted: number;
  repaired: number;
  rejected: number;
  images: { found: number; missing: number; undecodable: number };
  byQuestionType: Record<string, number>;
  byModality: Record<string, number>;
  bySplit: Record<string, number>;
  errors: { file: string; record: number | null; field: string; message: string }[];
}

describe('lab inspect', () => {
  describe.skipIf(!existsSync(real))('real samples', () => {
    it('reads a folder as the Data panel does', async () => {
      const r = await run(`${real}/vqa-rad`);
      const j = r.json as InspectJson;
      expect(j).toMatchObject({ format: 'vqa-rad', records: 2403, accepted: 2403, rejected: 0, bySplit: { train: 2124, test: 279 } });
      expect(j.images).toMatchObject({ found: 211, missing: 0, undecodable: 0 });
      expect(j.byQuestionType.PRES).toBeGreaterThan(0);
      expect(r.message).toMatch(/^VQA-RAD \(confidence 0\.98\): 2403 records, 2403 accepted/);
    });

    it('reads several paths as one drop', async () => {
      const r = await run(`${real}/medvlm-r1/MRI_CT_XRAY_300each_dataset.json`, `${real}/medvlm-r1/images`, '--no-hash');
      const j = r.json as InspectJson;
      expect(j).toMatchObject({ format: 'medvlm-r1', accepted: 599, images: { found: 8 } });
      expect(j.byModality).toEqual({ 'X-Ray': 202, CT: 199, MR: 198 });
    });
  });

  it('reads a zip with a bad record and lists the error with file, record and field', async () => {
    const rows = [
      { image: 'a.png', question: 'Organ?', options: ['Liver', 'Gut'], answer: 'Gut' },
      { image: 'b.png', question: 'Organ?', options: ['Liver', 'Gut'], answer: 'Spleen' },
    ];
    const zip = join(dir, 'set.zip');
    writeFileSync(zip, zipSync({ 'set/data.jsonl': strToU8(rows.map((r) => JSON.stringify(r)).join('\n')), 'set/a.png': strToU8('not a png') }));
    const j = (await run(zip)).json as InspectJson;
    expect(j).toMatchObject({ format: 'generic-table', records: 2, accepted: 1, rejected: 1, images: { found: 0, missing: 0, undecodable: 1 } });
    expect(j.errors).toEqual([{ file: 'set/data.jsonl', record: 1, field: 'answer', message: '"Spleen" matches none of the options ["Liver","Gut"]' }]);
  });

  it('exits 2 when nothing usable is found', async () => {
    expect(await usageError(run())).toMatch(/needs at least one path/);
    expect(await usageError(run(join(dir, 'nope')))).toMatch(/no such file or folder/);
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'notes.json'), '{"hello": "world"}');
    expect(await usageError(run(empty))).toMatch(/no dataset recognised .*notes\.json: not read/);
    const allBad = join(dir, 'bad');
    mkdirSync(allBad);
    writeFileSync(join(allBad, 'x.jsonl'), JSON.stringify({ image: 'a.png', question: 'Q?', options: ['A1', 'B1'], answer: 'C1' }));
    expect(await usageError(run(allBad))).toMatch(/no usable record among 1: x\.jsonl record 0 answer/);
    expect(await usageError(run(allBad, '--format', 'pdf'))).toMatch(/--format must be one of/);
  });
});
