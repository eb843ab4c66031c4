// Finds the file a record's image reference points to. Sources write paths relative to roots the user may not
// have dropped ('/CholecT45/data/VID35/002056.png', 'Images/MIAS/x.png'), or to folders the release moved
// (MedVLM-R1), so references match by the longest unique path suffix, down to the bare file name.
import type { IntakeFile } from '../intake/intake-file.ts';

export interface ImageMatch {
  file: IntakeFile;
  /** True when only the file name matched (the folders differ); reported so a wrong match can be spotted. */
  byNameOnly: boolean;
}

export class ImageIndex {
  /** Path suffix (1..n trailing segments) -> files ending with it. */
  private readonly bySuffix = new Map<string, IntakeFile[]>();
  private readonly exact = new Map<string, IntakeFile>();

  constructor(files: Iterable<IntakeFile>) {
    for (const f of files) {
      this.exact.set(f.path, f);
      const segs = f.path.split('/');
      for (let k = 1; k <= segs.length; k++) {
        const key = segs.slice(segs.length - k).join('/');
        const list = this.bySuffix.get(key);
        if (list) list.push(f);
        else this.bySuffix.set(key, [f]);
      }
    }
  }

  /** The file for a reference, or null when none or several equally good ones match. */
  find(ref: string): ImageMatch | null {
    if (!ref) return null;
    const clean = ref.replace(/^\/+/, '');
    const hit = this.exact.get(ref) ?? this.exact.get(clean);
    if (hit) return { file: hit, byNameOnly: false };
    const segs = clean.split('/').filter(Boolean);
    for (let k = segs.length; k >= 1; k--) {
      const list = this.bySuffix.get(segs.slice(segs.length - k).join('/'));
      if (!list) continue;
      if (list.length === 1) return { file: list[0], byNameOnly: k === 1 && segs.length > 1 };
      return null; // ambiguous at this depth means ambiguous at every shorter one
    }
    return null;
  }
}
