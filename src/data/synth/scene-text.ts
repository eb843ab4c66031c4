// A scene in words, for SFT caption rows: every structure the frame holds with its grid position, in reading
// order ("top-mid gallbladder, top-right spleen, center-left cystic plate, bottom-left gut"). A caption
// supervises every structure in the image, where a question supervises only the one asked about: several labels
// per image rather than one.
import { positionName, type Scene } from './render.ts';
import { sceneRef, type SynthDataset } from './anatomy-synth.ts';

/** The layout of one scene, in reading order (row by row, left to right). */
export function describeScene(scene: Scene): string {
  return [...scene.placed]
    .sort((a, b) => a.row - b.row || a.col - b.col)
    .map((p) => `${positionName(p.row, p.col)} ${p.structure.name.toLowerCase()}`)
    .join(', ');
}

/** Image reference -> its scene's layout in words, for every scene of a generated dataset. */
export function sceneTexts(dataset: Pick<SynthDataset, 'config' | 'scenes'>): Map<string, string> {
  return new Map(dataset.scenes.map((scene, s) => [sceneRef(dataset.config.seed, s), describeScene(scene)]));
}
