import { describe, it, expect } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { memoryFile } from './intake-file.ts';
import { DEFAULT_ZIP_LIMITS, expandArchives, openZip } from './zip.ts';

const text = async (f: { read(): Promise<Uint8Array> }) => new TextDecoder().decode(await f.read());

/** A zip whose single entry has a chosen (unsafe) name: fflate refuses nothing, so we patch the name bytes. */
function zipWithName(name: string, body = 'x'): Uint8Array {
  const placeholder = 'p'.repeat(name.length);
  const z = zipSync({ [placeholder]: strToU8(body) }, { level: 0 });
  const enc = strToU8(placeholder);
  const target = strToU8(name);
  // The name appears in the local header and in the central directory.
  for (let i = 0; i + enc.length <= z.length; i++) {
    if (enc.every((c, j) => z[i + j] === c)) z.set(target, i);
  }
  return z;
}

describe('openZip', () => {
  it('streams entries out with folder-relative paths, skipping folders and __MACOSX', async () => {
    const z = zipSync({ 'data/a.json': strToU8('[1]'), 'data/img/': new Uint8Array(0), '__MACOSX/data/._a.json': strToU8('junk'), 'b.txt': strToU8('hello') });
    const r = await openZip(memoryFile('drop/set.zip', z));
    expect(r.problems).toEqual([]);
    expect(r.files.map((f) => f.path).sort()).toEqual(['drop/b.txt', 'drop/data/a.json']);
    expect(await text(r.files.find((f) => f.name === 'a.json')!)).toBe('[1]');
  });

  it('refuses entries that escape the root (zip-slip) and keeps the rest', async () => {
    for (const bad of ['../../etc/passwd', '/etc/passwd', 'a/../../x', 'C:/x.txt', '..\\..\\x']) {
      const r = await openZip(memoryFile('evil.zip', zipWithName(bad)));
      expect(r.files, bad).toEqual([]);
      expect(r.problems.map((p) => p.message).join(), bad).toMatch(/outside the archive root; refused/);
    }
    const ok = await openZip(memoryFile('ok.zip', zipWithName('a/./b/../c.txt')));
    expect(ok.files.map((f) => f.path)).toEqual(['a/c.txt']);
  });

  it('refuses a zip bomb by ratio before inflating it all', async () => {
    const bomb = zipSync({ 'zeros.json': new Uint8Array(16 * 1024 ** 2) }, { level: 9 });
    expect(bomb.length).toBeLessThan(50_000);
    const r = await openZip(memoryFile('bomb.zip', bomb));
    expect(r.refused).toBe(true);
    expect(r.files).toEqual([]);
    expect(r.problems[0].message).toMatch(/expands more than 400:1 .* refused as a zip bomb/);
  });

  it('refuses an archive over the total size bound', async () => {
    const rnd = new Uint8Array(300_000).map((_, i) => (i * 2654435761) >>> 24);
    const z = zipSync({ 'a.bin': rnd, 'b.bin': rnd });
    const r = await openZip(memoryFile('big.zip', z), { ...DEFAULT_ZIP_LIMITS, maxTotalBytes: 500_000 });
    expect(r.refused).toBe(true);
    expect(r.problems[0].message).toMatch(/expands to more than 488 KiB/);
  });

  it('keeps the complete entries of a truncated archive and names the cut one', async () => {
    const rnd = new Uint8Array(50_000).map((_, i) => (i * 2654435761) >>> 24);
    const z = zipSync({ 'first.json': strToU8('[{"a":1}]'), 'second.bin': rnd }, { level: 0 });
    const r = await openZip(memoryFile('cut.zip', z.subarray(0, 20_000)), { ...DEFAULT_ZIP_LIMITS, chunkBytes: 4096 });
    expect(r.files.map((f) => f.path)).toEqual(['first.json']);
    const messages = r.problems.map((p) => p.message).join(' | ');
    expect(messages).toMatch(/second\.bin' is cut short/);
    expect(messages).toMatch(/no end-of-central-directory record/);
  });

  it('reports a text file named .zip and an empty .zip without throwing', async () => {
    const t = await openZip(memoryFile('notes.zip', strToU8('this is not an archive')));
    expect(t.files).toEqual([]);
    expect(t.problems[0].message).toMatch(/not a zip archive/);
    const e = await openZip(memoryFile('empty.zip', new Uint8Array(0)));
    expect(e.problems[0].message).toMatch(/empty file/);
  });

  it('expandArchives leaves other files alone and does not open nested archives', async () => {
    const inner = zipSync({ 'x.json': strToU8('[]') });
    const outer = zipSync({ 'inner.zip': inner, 'y.json': strToU8('[]') });
    const r = await expandArchives([memoryFile('outer.zip', outer), memoryFile('plain.csv', strToU8('a,b'))]);
    expect(r.files.map((f) => f.path).sort()).toEqual(['plain.csv', 'y.json']);
    expect(r.problems[0].message).toMatch(/nested archive 'inner.zip' not opened/);
  });
});
