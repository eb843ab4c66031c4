import { describe, it, expect } from 'vitest';
import { normaliseEntryPath, normaliseImageRef } from './paths.ts';

describe('paths', () => {
  it('normalises entry paths and refuses escapes', () => {
    expect(normaliseEntryPath('a\\b/./c//d.png')).toBe('a/b/c/d.png');
    expect(normaliseEntryPath('a/b/../c')).toBe('a/c');
    expect(normaliseEntryPath('../x')).toBeNull();
    expect(normaliseEntryPath('a/../../x')).toBeNull();
    expect(normaliseEntryPath('/abs')).toBeNull();
    expect(normaliseEntryPath('D:\\x')).toBeNull();
    expect(normaliseEntryPath('a\0b')).toBeNull();
  });

  it('trims SGG-VQA image paths and names the repair', () => {
    expect(normaliseImageRef(' /CholecT45/data/VID35/002056.png')).toEqual({ path: '/CholecT45/data/VID35/002056.png', repairs: ['image path leading space trimmed'] });
    expect(normaliseImageRef('./images\\x.png')).toEqual({ path: 'images/x.png', repairs: ['image path backslashes turned into slashes'] });
    expect(normaliseImageRef('Images/MIAS/a.png')).toEqual({ path: 'Images/MIAS/a.png', repairs: [] });
  });
});
