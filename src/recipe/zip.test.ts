import { describe, it, expect } from 'vitest';
import { unzipSync } from 'fflate';
import { zipRecipe } from './zip.ts';

describe('zipRecipe', () => {
  it('puts every file under the folder and gives the same bytes back', () => {
    const files = [
      { path: 'README.md', bytes: new TextEncoder().encode('# recipe\n') },
      { path: 'data/train.parquet', bytes: new Uint8Array([80, 65, 82, 49, 0, 1, 2, 80, 65, 82, 49]) },
    ];
    const back = unzipSync(zipRecipe(files, 'run-1-verl'));
    expect(Object.keys(back).sort()).toEqual(['run-1-verl/README.md', 'run-1-verl/data/train.parquet']);
    expect([...back['run-1-verl/data/train.parquet']]).toEqual([...files[1].bytes]);
    expect(new TextDecoder().decode(back['run-1-verl/README.md'])).toBe('# recipe\n');
  });

  it('refuses paths that climb out of the folder', () => {
    expect(() => zipRecipe([{ path: '../x', bytes: new Uint8Array(1) }])).toThrow(/not a plain relative path/);
  });
});
