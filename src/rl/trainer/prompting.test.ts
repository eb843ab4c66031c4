import { describe, expect, it } from 'vitest';
import { generateAnatomySynth } from '../../data/synth/anatomy-synth.ts';
import { sceneTexts } from '../../data/synth/scene-text.ts';
import { formatReward } from '../rewards.ts';
import { scratchInit } from './init.ts';
import { CAPTION_PROMPT, captionPromptIds, captionTargetIds, sftTargetText } from './prompting.ts';

describe('the SFT targets', () => {
  const synth = generateAnatomySynth({ questions: 20 });
  const { tokenizer } = scratchInit('micro', synth.records, 0);

  it('a question: the one-sentence think and the answer, in the format the reward checks', () => {
    const r = synth.records[0];
    expect(sftTargetText(r, 'text')).toBe(`<think>The structure is ${r.answer}.</think> <answer>${r.answer}</answer>`);
    expect(formatReward(sftTargetText(r, 'text'))).toBe(1);
  });

  it('a caption: the image, the instruction, then the layout ending in <eos>', () => {
    const layout = sceneTexts(synth).get(synth.records[0].image)!;
    expect(captionPromptIds(tokenizer)).toEqual([tokenizer.imageId, ...tokenizer.encode(CAPTION_PROMPT)]);
    const ids = captionTargetIds(tokenizer, layout);
    expect(ids.at(-1)).toBe(tokenizer.eosId);
    expect(tokenizer.decode(ids.slice(0, -1))).toBe(`${layout}.`);
  });
});
