import { describe, it, expect } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { intakeFromPaths } from './node-files.ts';

describe('Node intake', () => {
  it('walks folders (sorted, hidden files skipped), keeps single files by name, reads byte ranges', async () => {
    const root = mkdtempSync(join(tmpdir(), 'intake-'));
    mkdirSync(join(root, 'set/images'), { recursive: true });
    writeFileSync(join(root, 'set/b.json'), '0123456789');
    writeFileSync(join(root, 'set/images/a.png'), 'png');
    writeFileSync(join(root, 'set/.DS_Store'), 'junk');
    writeFileSync(join(root, 'single.csv'), 'x');
    const files = await intakeFromPaths([join(root, 'set'), join(root, 'single.csv')]);
    expect(files.map((f) => [f.path, f.size])).toEqual([['b.json', 10], ['images/a.png', 3], ['single.csv', 1]]);
    expect(new TextDecoder().decode(await files[0].read(3, 7))).toBe('3456');
    expect(new TextDecoder().decode(await files[0].read(8, 100))).toBe('89');
    await expect(intakeFromPaths([join(root, 'nope')])).rejects.toThrow(/ENOENT/);
  });
});
