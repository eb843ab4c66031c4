import { describe, expect, it } from 'vitest';
import { generateAnatomySynth } from './anatomy-synth.ts';
import { describeScene, sceneTexts } from './scene-text.ts';

describe('scene text, the target of the caption rows', () => {
  const synth = generateAnatomySynth({ questions: 200 });

  it('names every structure of a scene with its cell, in reading order', () => {
    const scene = synth.scenes[0];
    const text = describeScene(scene);
    const parts = text.split(', ');
    expect(parts).toHaveLength(scene.placed.length);
    const cells = [...scene.placed].sort((a, b) => a.row - b.row || a.col - b.col);
    parts.forEach((part, i) => expect(part.endsWith(cells[i].structure.name.toLowerCase())).toBe(true));
    expect(parts[0]).toMatch(/^(top|center|bottom)(-(left|mid|right))?\s/);
  });

  it('finds the layout of every record by its image, and the layout holds the location answer', () => {
    const texts = sceneTexts(synth);
    expect(texts.size).toBe(synth.scenes.length);
    for (const r of synth.records) {
      const layout = texts.get(r.image);
      expect(layout, r.id).toBeDefined();
      const at = /at the (\S+) of the frame/.exec(r.question);
      if (at) expect(layout).toContain(`${at[1]} ${r.answer.toLowerCase()}`);
    }
  });
});
