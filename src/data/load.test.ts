// Bad input of every kind goes in; nothing throws, and every problem comes out naming file, record and field.
import { describe, it, expect } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { memoryFile } from './intake/intake-file.ts';
import { encodePng } from './images/png-encode.ts';
import { loadDataset } from './load.ts';
import { DEFAULT_READ_CONFIG } from './formats/types.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const file = (path: string, content: string | Uint8Array) => memoryFile(path, typeof content === 'string' ? enc(content) : content);

const inst = (q: string, opts: string[]) => `You are an expert...\nQuestion:\n${q}\nAnatomy Options:\n${opts.map((o, i) => `${'ABCD'[i]}. ${o}`).join('\n')}`;
const sgg = (over: Record<string, unknown> = {}) => ({
  instruction: inst('What anatomy is at the top-left of the frame ?', ['Liver', 'Gut', 'Omentum', 'Gallbladder']),
  sft_prompt: '<image>...',
  solution: 'A',
  answer: 'Liver',
  images: ' /CholecT45/data/VID01/000001.png',
  ...over,
});

describe('loadDataset on bad input', () => {
  it('wrong types, missing fields and mismatched gold are rejected per record, the rest kept', async () => {
    const records = [
      sgg(),
      sgg({ solution: 7 }), // numbers are read as text ('7'), then refused as a letter
      sgg({ answer: ['Liver'] }),
      sgg({ instruction: 'no question block here' }),
      sgg({ solution: 'B' }), // letter says Gut, answer says Liver
      sgg({ solution: 'Q' }),
      null,
      'a string',
      sgg({ solution: undefined, answer: 'gut.' }), // repaired: letter from answer after normalising
    ];
    const d = await loadDataset([file('data/GRPO.json', JSON.stringify(records))]);
    expect(d.report).toMatchObject({ format: 'sgg-vqa', records: 9, accepted: 2, rejected: 7 });
    const byRecord = Object.fromEntries(d.report.errors.map((e) => [e.record, `${e.field}: ${e.message}`]));
    expect(byRecord).toEqual({
      1: 'solution: "7" is not an option letter',
      2: 'answer: expected a string, got array ["Liver"]',
      3: 'instruction: no "Question:" ... "Anatomy Options:" block found',
      4: "solution: letter B is 'Gut' but answer is \"Liver\"",
      5: 'solution: "Q" is not an option letter',
      6: ': record is null, expected an object',
      7: ': record is string, expected an object',
    });
    expect(d.report.errors.every((e) => e.file === 'data/GRPO.json')).toBe(true);
    expect(d.records[1]).toMatchObject({ goldIndex: 1, anatomy: 'Gut' });
    expect(d.report.repairsByKind).toMatchObject({ 'answer matched option X after normalising case/trailing period': 1, 'solution missing; letter X taken from answer': 1 });
  });

  it('malformed JSON, an empty file, binary named .json and a top-level object are file-level issues', async () => {
    const good = JSON.stringify([sgg()]);
    const d = await loadDataset([
      file('a/GRPO.json', good),
      file('a/broken.json', good.slice(0, good.length - 40)),
      file('a/empty.json', ''),
      file('a/binary.json', new Uint8Array([0xff, 0xfe, 0x00, 0x9f, 0x92, 0x96])),
      file('a/object.json', '{"instruction": "x", "answer": "y", "solution": "A", "sft_prompt": "z"}'),
    ]);
    expect(d.report.accepted).toBe(1);
    const byFile = Object.fromEntries(d.report.errors.map((e) => [e.file, e.message]));
    expect(byFile['a/broken.json']).toMatch(/^malformed JSON/);
    expect(byFile['a/empty.json']).toBe('empty file; not read');
    expect(byFile['a/binary.json']).toMatch(/not read|not UTF-8/);
    expect(byFile['a/object.json']).toMatch(/top-level JSON is object, expected a list of records/);
  });

  it('a huge field is refused with its size, without the field in the message', async () => {
    const huge = 'x'.repeat(3_000_000);
    const d = await loadDataset([file('GRPO.json', JSON.stringify([sgg({ answer: huge }), sgg()]))]);
    expect(d.report).toMatchObject({ accepted: 1, rejected: 1 });
    expect(d.report.errors[0]).toEqual({ file: 'GRPO.json', record: 0, field: 'answer', message: '3000000 characters, over the 20000 limit' });
  });

  it('a file over the text size limit and a CSV cut inside a quote are reported, not read', async () => {
    const data = JSON.stringify([sgg(), sgg()]);
    const big = await loadDataset([file('GRPO.json', data)], { ...DEFAULT_READ_CONFIG, maxTextFileBytes: 100 });
    expect(big.report.accepted).toBe(0);
    expect(big.report.errors[0]).toMatchObject({ file: 'GRPO.json', record: null, message: expect.stringMatching(/over the 100 B limit for text files/) });
    const csv = await loadDataset([file('t.csv', 'image,question,answer\na.png,"Is it,yes\nb.png,"Open?",no\nc.png,"Cut')]);
    expect(csv.report.errors.map((e) => [e.record, e.message])).toEqual([[1, 'a quoted field is never closed (file truncated?)']]);
  });

  it('text renamed to .png and a truncated PNG are listed as undecodable; absent images as missing', async () => {
    const recs = [
      sgg({ images: 'frames/a.png' }),
      sgg({ images: 'frames/b.png', instruction: inst('What anatomy is at the top-mid of the frame ?', ['Liver', 'Gut', 'Omentum', 'Gallbladder']) }),
      sgg({ images: 'frames/c.png', instruction: inst('What anatomy is at the center of the frame ?', ['Liver', 'Gut', 'Omentum', 'Gallbladder']) }),
      sgg({ images: 'frames/gone.png', instruction: inst('What is the red anatomy?', ['Liver', 'Gut', 'Omentum', 'Gallbladder']) }),
    ];
    const d = await loadDataset([
      file('GRPO.json', JSON.stringify(recs)),
      file('frames/a.png', encodePng({ width: 2, height: 2, data: new Uint8Array(12) })),
      file('frames/b.png', 'I am a text file, honest'),
      file('frames/c.png', encodePng({ width: 2, height: 2, data: new Uint8Array(12) }).subarray(0, 14)),
    ]);
    expect(d.report.accepted).toBe(4);
    expect(d.report.images).toMatchObject({ referenced: 4, found: 1, missing: 1, undecodable: 2, missingList: ['frames/gone.png'] });
    expect(d.report.images.undecodableList).toEqual([
      { path: 'frames/b.png', reason: "not an image: starts with text 'I am a text file'" },
      { path: 'frames/c.png', reason: 'PNG signature but no IHDR chunk (truncated?)' },
    ]);
  });

  it('zips: a truncated archive keeps what is complete, zip-slip entries and bombs are refused with messages', async () => {
    const data = JSON.stringify([sgg()]);
    const rnd = new Uint8Array(40_000).map((_, i) => (i * 2654435761) >>> 24);
    const full = zipSync({ 'set/GRPO.json': strToU8(data), 'set/frames/x.bin': rnd }, { level: 0 });
    const cut = await loadDataset([memoryFile('set.zip', full.subarray(0, 30_000))]);
    expect(cut.report.accepted).toBe(1);
    expect(cut.report.errors.map((e) => e.message).join(' | ')).toMatch(/cut short.*truncated/);

    const bomb = zipSync({ 'GRPO.json': new Uint8Array(8 * 1024 ** 2).fill(32) }, { level: 9 });
    const b = await loadDataset([memoryFile('bomb.zip', bomb), file('GRPO.json', data)]);
    expect(b.report.accepted).toBe(1);
    expect(b.report.errors[0]).toMatchObject({ file: 'bomb.zip', record: null, message: expect.stringMatching(/refused as a zip bomb/) });

    const slip = zipSync({ 'pppppppppppppppp': strToU8(data) });
    const name = strToU8('../../../etc/x.js');
    for (let i = 0; i + 16 <= slip.length; i++) if (String.fromCharCode(...slip.subarray(i, i + 16)) === 'pppppppppppppppp') slip.set(name.subarray(0, 16), i);
    const s = await loadDataset([memoryFile('slip.zip', slip)]);
    expect(s.detection).toBeNull();
    expect(s.report.errors[0].message).toMatch(/points outside the archive root; refused/);
  });

  it('nothing recognised: no detection, and every data file is named', async () => {
    const d = await loadDataset([file('notes.json', '[{"a": 1}]'), file('readme.md', '# hi')]);
    expect(d.detection).toBeNull();
    expect(d.records).toEqual([]);
    expect(d.report.errors).toEqual([{ file: 'notes.json', record: null, field: '', message: 'not read: no known dataset format recognised' }]);
    expect((await loadDataset([])).report.errors[0].message).toBe('no files');
  });

  it('duplicates are grouped and duplicate ids renamed', async () => {
    const rows = [
      { id: 'q1', image: 'a.png', question: 'Organ?', options: ['Liver', 'Gut'], answer: 'Liver' },
      { id: 'q1', image: 'a.png', question: 'Organ?', options: ['Liver', 'Gut'], answer: 'Liver' },
      { id: 'q3', image: 'b.png', question: 'Organ?', options: ['Liver', 'Gut'], answer: 'Gut' },
    ];
    const d = await loadDataset([file('x.jsonl', rows.map((r) => JSON.stringify(r)).join('\n'))]);
    expect(d.records.map((r) => r.id)).toEqual(['q1', 'q1~2', 'q3']);
    expect(d.report.duplicates).toEqual([['q1', 'q1~2']]);
    expect(d.report.repairs).toEqual([{ file: 'x.jsonl', record: 1, field: 'id', message: 'duplicate id q1 renamed q1~2' }]);
  });
});
