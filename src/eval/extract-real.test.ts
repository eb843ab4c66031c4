// The extractor against every real MedVLM-R1 record (OmniMedVQA-derived, ../shared/data/real): the gold
// answer written as a letter, as the option text, and as a sentence must all extract to the gold option.
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { extractChoice } from './extract.ts';
import { OPTION_LETTERS } from '../data/record.ts';

const file = fileURLToPath(new URL('../../../shared/data/real/medvlm-r1/MRI_CT_XRAY_300each_dataset.json', import.meta.url));

describe.skipIf(!existsSync(file))('extractChoice on real MedVLM-R1 option sets', () => {
  const records = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Array<{ options: string[]; solution: string; answer: string }>) : [];

  it('extracts the gold option from letter, text and sentence answers', () => {
    expect(records.length).toBeGreaterThan(500);
    const failures: string[] = [];
    for (const r of records) {
      const gold = OPTION_LETTERS.indexOf(r.solution.trim() as (typeof OPTION_LETTERS)[number]);
      const forms = [`<answer>${r.solution}</answer>`, `<answer>${r.answer}</answer>`, `<think>...</think>The image shows ${r.answer.toLowerCase()}.`];
      for (const completion of forms) {
        const got = extractChoice(completion, r.options);
        if (!got.ok || got.index !== gold) failures.push(`${JSON.stringify(completion)} / ${JSON.stringify(r.options)} -> ${JSON.stringify(got)}`);
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
  });
});
