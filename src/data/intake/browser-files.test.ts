// The browser intake with stand-ins for File, FileList entries and DataTransfer (Node 20 has File and Blob).
import { describe, it, expect } from 'vitest';
import { blobFile, intakeFromDataTransfer, intakeFromFileList } from './browser-files.ts';

const text = async (f: { read(s?: number, e?: number): Promise<Uint8Array> }, s?: number, e?: number) => new TextDecoder().decode(await f.read(s, e));

function fileEntry(fullPath: string, body: string): FileSystemFileEntry {
  const f = new File([body], fullPath.slice(fullPath.lastIndexOf('/') + 1));
  return { isFile: true, isDirectory: false, fullPath, name: f.name, file: (ok: (f: File) => void) => ok(f) } as unknown as FileSystemFileEntry;
}

/** A directory whose reader hands out entries two at a time, as browsers cap each readEntries call. */
function dirEntry(fullPath: string, children: FileSystemEntry[]): FileSystemDirectoryEntry {
  return {
    isFile: false,
    isDirectory: true,
    fullPath,
    createReader: () => {
      let i = 0;
      return { readEntries: (ok: (e: FileSystemEntry[]) => void) => ok(children.slice(i, (i += 2))) };
    },
  } as unknown as FileSystemDirectoryEntry;
}

describe('browser intake', () => {
  it('reads blob slices lazily', async () => {
    const f = blobFile(new Blob(['hello world']), 'a/b.txt');
    expect([f.name, f.path, f.size]).toEqual(['b.txt', 'a/b.txt', 11]);
    expect(await text(f, 6)).toBe('world');
    expect(await text(f)).toBe('hello world');
  });

  it('keeps webkitRelativePath folders from a directory picker and refuses escaping names', () => {
    const a = new File(['x'], 'trainset.json');
    Object.defineProperty(a, 'webkitRelativePath', { value: 'data_RAD/trainset.json' });
    const b = new File(['y'], 'loose.csv');
    const evil = new File(['z'], 'e');
    Object.defineProperty(evil, 'webkitRelativePath', { value: '../e' });
    expect(intakeFromFileList([a, b, evil]).map((f) => f.path)).toEqual(['data_RAD/trainset.json', 'loose.csv']);
  });

  it('walks dropped folders recursively through every readEntries batch', async () => {
    const tree = dirEntry('/vqa-rad', [
      dirEntry('/vqa-rad/data_RAD', [
        fileEntry('/vqa-rad/data_RAD/trainset.json', '[]'),
        fileEntry('/vqa-rad/data_RAD/testset.json', '[]'),
        dirEntry('/vqa-rad/data_RAD/images', [fileEntry('/vqa-rad/data_RAD/images/a.jpg', 'j'), fileEntry('/vqa-rad/data_RAD/images/b.jpg', 'j'), fileEntry('/vqa-rad/data_RAD/images/c.jpg', 'j')]),
      ]),
    ]);
    const looseFile = new File(['q'], 'extra.json');
    const dt = {
      items: [
        { kind: 'file', webkitGetAsEntry: () => tree, getAsFile: () => null },
        { kind: 'file', webkitGetAsEntry: () => null, getAsFile: () => looseFile },
        { kind: 'string', webkitGetAsEntry: () => null, getAsFile: () => null },
      ],
    } as unknown as DataTransfer;
    const files = await intakeFromDataTransfer(dt);
    expect(files.map((f) => f.path)).toEqual([
      'extra.json',
      'vqa-rad/data_RAD/trainset.json',
      'vqa-rad/data_RAD/testset.json',
      'vqa-rad/data_RAD/images/a.jpg',
      'vqa-rad/data_RAD/images/b.jpg',
      'vqa-rad/data_RAD/images/c.jpg',
    ]);
    expect(await text(files[1])).toBe('[]');
  });
});
