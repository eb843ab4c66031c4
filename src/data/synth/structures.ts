// The anatomy AnatomySynth draws: eight abdominal structures named as SGG-VQA names them, each with a shape, a
// texture, a colour (endoscopy), a density (CT) and an echogenicity (ultrasound). Structures the anatomy lexicon
// ranks close are drawn close on purpose: liver ~ gallbladder ~ cystic plate share brown-red tones, smooth
// textures and compact shapes; gut ~ omentum ~ stomach share pink-yellow tones and folded textures; the spleen
// sits between stomach and liver, the wall next to the omentum. So options that are hard to tell apart by name
// are hard to tell apart in the image, which a similarity curriculum needs (the test checks the rank agreement).

export type SynthShape = 'lobe' | 'pear' | 'plate' | 'bean' | 'tube' | 'lobular' | 'sac' | 'sheet';
export type SynthTexture = 'smooth' | 'fibres' | 'folds' | 'lobules' | 'striations';

export interface SynthStructure {
  /** SGG-VQA / lexicon name. */
  name: string;
  /** Look-alike family: structures in one family share tones, textures and shapes. */
  family: 'hepatobiliary' | 'solid' | 'bowel' | 'wall';
  shape: SynthShape;
  texture: SynthTexture;
  /** Endoscopy base colour, RGB 0..255. */
  colour: [number, number, number];
  /** Colour word the attribute questions use. */
  colourWord: string;
  /** CT grey level 0..1 (soft-tissue attenuation; fat is darker). */
  density: number;
  /** Ultrasound echogenicity 0..1. */
  echo: number;
  /** Size relative to a grid cell (1 = fills it). */
  size: number;
  /** Weight of each grid row (top, center, bottom) when the scene places it; mirrors the laparoscopic view. */
  rowWeights: [number, number, number];
}

export const SYNTH_STRUCTURES: readonly SynthStructure[] = [
  { name: 'Liver', family: 'hepatobiliary', shape: 'lobe', texture: 'smooth', colour: [128, 52, 42], colourWord: 'red', density: 0.62, echo: 0.55, size: 1.0, rowWeights: [4, 2, 1] },
  { name: 'Gallbladder', family: 'hepatobiliary', shape: 'pear', texture: 'smooth', colour: [122, 70, 44], colourWord: 'brown', density: 0.56, echo: 0.5, size: 0.8, rowWeights: [3, 3, 1] },
  { name: 'Cystic Plate', family: 'hepatobiliary', shape: 'plate', texture: 'fibres', colour: [136, 62, 48], colourWord: 'brown', density: 0.6, echo: 0.58, size: 0.85, rowWeights: [3, 3, 1] },
  { name: 'Spleen', family: 'solid', shape: 'bean', texture: 'smooth', colour: [168, 84, 104], colourWord: 'purple', density: 0.52, echo: 0.34, size: 0.8, rowWeights: [3, 2, 1] },
  { name: 'Gut', family: 'bowel', shape: 'tube', texture: 'folds', colour: [204, 128, 112], colourWord: 'pink', density: 0.42, echo: 0.35, size: 0.9, rowWeights: [1, 2, 4] },
  { name: 'Omentum', family: 'bowel', shape: 'lobular', texture: 'lobules', colour: [214, 160, 112], colourWord: 'yellow', density: 0.3, echo: 0.4, size: 0.95, rowWeights: [1, 3, 3] },
  { name: 'Stomach', family: 'bowel', shape: 'sac', texture: 'folds', colour: [196, 118, 118], colourWord: 'pink', density: 0.46, echo: 0.3, size: 0.9, rowWeights: [2, 3, 2] },
  { name: 'Abdominal Wall Cavity', family: 'wall', shape: 'sheet', texture: 'striations', colour: [224, 192, 172], colourWord: 'white', density: 0.34, echo: 0.62, size: 1.1, rowWeights: [3, 1, 3] },
];

export function structureByName(name: string): SynthStructure | undefined {
  return SYNTH_STRUCTURES.find((s) => s.name === name);
}
