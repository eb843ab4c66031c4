// VLMEvalKit benchmark TSV: columns index, image (base64, or the index of an earlier row holding the same
// image), question, hint, A..D (unused letters empty), answer (letter), category, l2-category, split.
import { extensionOf } from '../intake/intake-file.ts';
import type { FormatReader, ParseOutput } from './types.ts';
import { parseTable } from './generic-table.ts';

const REQUIRED = ['index', 'question', 'answer', 'a', 'b'];

export const vlmEvalKitTsvReader: FormatReader = {
  id: 'vlmevalkit-tsv',
  label: 'VLMEvalKit TSV (base64 images)',
  detect(files, heads) {
    const hits = files.filter((f) => {
      const h = heads.get(f);
      if (extensionOf(f.path) !== 'tsv' || h === undefined) return false;
      const header = (h.split(/\r?\n/)[0] ?? '').split('\t').map((c) => c.trim().toLowerCase());
      return REQUIRED.every((c) => header.includes(c)) && (header.includes('image') || header.includes('image_path'));
    });
    if (!hits.length) return null;
    return { format: 'vlmevalkit-tsv', confidence: 0.9, files: hits, reason: `${hits.length} TSV file(s) with index/image/question/A/B/answer columns` };
  },
  async parse(detection, config) {
    const out: ParseOutput = { outcomes: [], fileIssues: [], embeddedImages: [] };
    for (const f of detection.files) await parseTable(f, config, out, 'VLMEvalKit');
    return out;
  },
};
