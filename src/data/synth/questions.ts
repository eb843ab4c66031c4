// SGG-VQA question templates over an AnatomySynth scene: location ("What anatomy is at the top-left of the
// frame ?"), relation ("What is the name of the anatomy that is below the liver ?") and attribute ("What is the
// red top-mid anatomy?"), each with the alternative "There is ...; what is it?" phrasing the GDQA data uses.
import { positionName, type Scene, type PlacedStructure } from './render.ts';
import type { SynthStructure } from './structures.ts';
import type { Rng } from './prng.ts';

export type SynthQuestionType = 'location' | 'relation' | 'attribute';
/** Every question type AnatomySynth asks, sorted. */
export const SYNTH_QUESTION_TYPES: readonly SynthQuestionType[] = ['attribute', 'location', 'relation'];

export interface SynthQuestion {
  question: string;
  gold: SynthStructure;
  type: SynthQuestionType;
  /** True for the "There is ...; what is it?" phrasing. */
  alternative: boolean;
}

const RELATIONS: { dr: number; dc: number; words: string }[] = [
  { dr: 1, dc: 0, words: 'below' },
  { dr: -1, dc: 0, words: 'above' },
  { dr: 0, dc: -1, words: 'on the left side of' },
  { dr: 0, dc: 1, words: 'on the right side of' },
];

/** Every question the scene can answer unambiguously, grouped by type. */
export function candidateQuestions(scene: Scene): Record<SynthQuestionType, SynthQuestion[]> {
  const at = new Map<string, PlacedStructure>(scene.placed.map((p) => [`${p.row},${p.col}`, p]));
  const out: Record<SynthQuestionType, SynthQuestion[]> = { location: [], relation: [], attribute: [] };
  const colour = scene.style === 'Endoscopy';
  for (const p of scene.placed) {
    const pos = positionName(p.row, p.col);
    out.location.push({ question: `What anatomy is at the ${pos} of the frame ?`, gold: p.structure, type: 'location', alternative: false });
    out.location.push({ question: `There is an anatomy at the ${pos} of the frame; what is it?`, gold: p.structure, type: 'location', alternative: true });
    const descriptor = colour ? `${p.structure.colourWord} ${pos}` : pos;
    out.attribute.push({ question: `What is the ${descriptor} anatomy?`, gold: p.structure, type: 'attribute', alternative: false });
    out.attribute.push({ question: `There is a ${descriptor} anatomy; what is it?`, gold: p.structure, type: 'attribute', alternative: true });
    for (const rel of RELATIONS) {
      // "the anatomy that is below X": X is p, the answer is the structure in the neighbouring cell.
      const q = at.get(`${p.row + rel.dr},${p.col + rel.dc}`);
      if (!q) continue;
      const ref = p.structure.name.toLowerCase();
      out.relation.push({ question: `What is the name of the anatomy that is ${rel.words} the ${ref} ?`, gold: q.structure, type: 'relation', alternative: false });
      out.relation.push({ question: `There is an object that is ${rel.words} the ${ref}; what is it?`, gold: q.structure, type: 'relation', alternative: true });
    }
  }
  return out;
}

/** Share of each question type when a scene offers all three. */
export const TYPE_WEIGHTS: Record<SynthQuestionType, number> = { location: 0.4, relation: 0.4, attribute: 0.2 };

/** Draws `count` distinct questions, types by TYPE_WEIGHTS, falling back to what the scene has. */
export function drawQuestions(scene: Scene, count: number, rng: Rng): SynthQuestion[] {
  const pools = candidateQuestions(scene);
  const picked: SynthQuestion[] = [];
  const types: SynthQuestionType[] = ['location', 'relation', 'attribute'];
  for (let i = 0; i < count; i++) {
    let t = rng.next();
    let type: SynthQuestionType = 'attribute';
    for (const k of types) {
      if (t < TYPE_WEIGHTS[k]) {
        type = k;
        break;
      }
      t -= TYPE_WEIGHTS[k];
    }
    const pool = pools[type].length ? pools[type] : (types.map((k) => pools[k]).find((p) => p.length) ?? []);
    if (!pool.length) break;
    const j = rng.int(pool.length);
    picked.push(pool[j]);
    pool.splice(j, 1);
  }
  return picked;
}
